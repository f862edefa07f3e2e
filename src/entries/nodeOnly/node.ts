// `swarmguard/node` as a browser bundle sees it: nothing. The exports map gives TypeScript's
// `browser` condition this face, so a page that imports a name from it fails to type-check, as
// its bundle fails to build (the runtime needs node:crypto, node:tls, sockets and LevelDB).
export {};
