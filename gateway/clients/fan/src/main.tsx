import { render } from "preact";
import { App } from "./App";
import { startHoldWatch } from "./holdWatch";
import "./styles.css";

startHoldWatch();
render(<App />, document.getElementById("app")!);
