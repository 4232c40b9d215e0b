import de from "./de.json";
import en from "./en.json";
import es from "./es.json";

/** The rest of the app's texts: the storefront demo, sign-in, the console and its pages. */
export const appCatalogs = { en, de, es };
