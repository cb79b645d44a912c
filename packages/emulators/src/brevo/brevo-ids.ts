/** The alphabet of Brevo's (Meteor-style) ids, e.g. `eYBEm3gq3zc5ayE2g`. */
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';

/** Generates Brevo-looking ids from a seed, so two emulators started with the same seed agree. */
export interface BrevoIdGenerator {
  /** A new id of `length` characters (17 for messages, agents and conversations; 32 for visitors). */
  next(length?: number): string;
}

/** Creates a seeded {@link BrevoIdGenerator} (mulberry32). */
export function createBrevoIdGenerator(seed = 0x0b7e70): BrevoIdGenerator {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next(length = 17) {
      let id = '';
      for (let i = 0; i < length; i += 1) id += ALPHABET[Math.floor(random() * ALPHABET.length)];
      return id;
    },
  };
}
