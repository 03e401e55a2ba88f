import { initAll } from "../build/js/govuk-frontend.min.js";
initAll();
