import { appCatalogs } from "../src/i18n/app/index.js";
import { vueI18nTranslator } from "../src/i18n/instance.js";
import { addCatalogs, installTranslator } from "../src/i18n/translator.js";
import { widgetCatalogs } from "../src/i18n/widget/index.js";

installTranslator(vueI18nTranslator);
addCatalogs(widgetCatalogs);
addCatalogs(appCatalogs);
