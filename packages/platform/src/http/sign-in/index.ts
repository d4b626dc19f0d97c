export { type CookieSettings, cookieSettingsOf, cookiesOf } from './cookie-settings.ts';
export { registerSignInRoutes } from './sign-in-routes.ts';
