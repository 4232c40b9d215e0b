/**
 * Where the gateway is and who is calling it. The app is served behind a proxy, so its gateway
 * is the page's own origin (""); the embeddable widget is told the gateway's URL.
 */
interface GatewaySettings {
  /** Origin of the gateway, without a trailing slash; "" = the page's own origin. */
  url: string;
  token: string | null;
}

const settings: GatewaySettings = { url: "", token: null };

export const configureGateway = (url: string): void => {
  settings.url = url.replace(/\/+$/, "");
};

export const setGatewayToken = (token: string | null): void => {
  settings.token = token;
};

export const gatewayToken = (): string | null => settings.token;

export const apiUrl = (path: string): string => `${settings.url}/api${path}`;

/** The socket.io namespace URL: the gateway's origin plus `/chat`. */
export const chatSocketUrl = (): string =>
  `${settings.url || globalThis.location?.origin || ""}/chat`;
