/** What the emulator's fake model is given for one turn. */
export interface AuroraModelInput {
  character: { id: number; name: string; description: string };
  /** The user's message. */
  message: string;
}

/** Produces the character's reply to one message. Must be deterministic, so replies are reproducible. */
export type AuroraModel = (input: AuroraModelInput) => string;

const CLOSINGS = ['Tell me more.', 'How fascinating!', 'What happens next?', 'I had not thought of that.'];

/**
 * The default fake model: the character acknowledges the message and adds a closing line picked by a
 * hash of the message, e.g. `Ada here. You said: "hi". How fascinating!`. Same input, same reply.
 */
export const defaultAuroraModel: AuroraModel = ({ character, message }) => {
  let hash = 0;
  for (const char of message) hash = (hash * 31 + char.codePointAt(0)!) >>> 0;
  return `${character.name} here. You said: "${message}". ${CLOSINGS[hash % CLOSINGS.length]}`;
};

/**
 * Splits a reply into the chunks the emulator streams: `wordsPerChunk` words each, whitespace kept,
 * so joining the chunks gives the reply back exactly. Never splits inside a word (or a surrogate pair).
 */
export function chunkReply(text: string, wordsPerChunk = 2): string[] {
  const words = text.match(/\s*\S+\s*/gu) ?? (text === '' ? [] : [text]);
  const chunks: string[] = [];
  for (let i = 0; i < words.length; i += wordsPerChunk)
    chunks.push(words.slice(i, i + wordsPerChunk).join(''));
  return chunks;
}
