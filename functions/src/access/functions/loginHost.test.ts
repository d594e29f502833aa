import { stageLoginSuite } from "../../testing/stageLoginSuite";
import { loginHost } from "./loginHost";

stageLoginSuite("host", loginHost);
