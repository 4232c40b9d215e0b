import de from "./de.json";
import en from "./en.json";
import es from "./es.json";

/** The widget's texts (the chat itself, the launcher, errors), in every language. */
export const widgetCatalogs = { en, de, es };
