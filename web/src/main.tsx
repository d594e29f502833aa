import { render } from "preact";
import { setLogLevel } from "firebase/app";
import { loadConfig, setConfig } from "./lib/config";
import { App } from "./App";
import "./styles.css";

async function start() {
  const root = document.getElementById("app")!;
  try {
    setConfig(await loadConfig());
  } catch (error) {
    root.textContent = `This page cannot reach its configuration: ${error instanceof Error ? error.message : String(error)}`;
    return;
  }
  // Refusals the SDK reports as warnings are shown on the page where they matter.
  setLogLevel("error");
  render(<App />, root);
}

void start();
