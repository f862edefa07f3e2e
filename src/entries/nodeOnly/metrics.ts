// `swarmguard/metrics` as a browser bundle sees it: nothing. The exports map gives TypeScript's
// `browser` condition this face, so a page that imports a name from it fails to type-check, as
// its bundle fails to build (prom-client is a Node library).
export {};
