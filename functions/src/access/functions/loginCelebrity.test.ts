import { stageLoginSuite } from "../../testing/stageLoginSuite";
import { loginCelebrity } from "./loginCelebrity";

stageLoginSuite("celebrity", loginCelebrity);
