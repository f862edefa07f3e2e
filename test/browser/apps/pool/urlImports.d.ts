// Vite's `?url` imports (vite/client declares them; this app needs only this one).
declare module '*?url' {
  const url: string;
  export default url;
}
