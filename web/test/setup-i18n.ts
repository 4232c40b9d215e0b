import { appCatalogs } from "../src/i18n/app/index.js";
import { addCatalogs } from "../src/i18n/instance.js";
import { widgetCatalogs } from "../src/i18n/widget/index.js";

addCatalogs(widgetCatalogs);
addCatalogs(appCatalogs);
