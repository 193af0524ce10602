// Types for seedrandom's Alea module imported on its own (rng.ts says why); @types/seedrandom
// types only the package's index, whose `alea` property this module is.
declare module 'seedrandom/lib/alea.js' {
  import type seedrandom from 'seedrandom';

  const alea: typeof seedrandom.alea;
  export default alea;
}
