// Reading the package's exports map as a browser bundler does. A Node-only subpath's `browser`
// condition is `{ types: <an empty face>, default: null }` (TypeScript reads the empty face,
// bundlers the null), so "is it refused to browsers" is not `browser === null`: ask
// `browserTarget`.

export type Conditions = { [condition: string]: string | null | Conditions };

/**
 * The module a browser bundler resolves an exports-map target to (conditions `browser`, `import`,
 * `default`, in the map's order): a path, null where the package refuses it, undefined where no
 * condition matches.
 */
export function browserTarget(target: string | null | Conditions): string | null | undefined {
  if (target === null || typeof target === 'string') return target;
  for (const [condition, value] of Object.entries(target)) {
    if (!['browser', 'import', 'default'].includes(condition)) continue;
    const found = browserTarget(value);
    if (found !== undefined) return found;
  }
  return undefined;
}
