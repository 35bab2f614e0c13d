/**
 * Types for the one internal module of kuromoji 0.1.2 that Pairscope uses: the IPADIC dictionary structures
 * (`@types/kuromoji` types only the top-level builder). Only the members read by `ipadic.ts` are declared.
 */
declare module 'kuromoji/src/dict/DynamicDictionaries.js' {
  interface ShortReader {
    /** Little-endian int16 at a byte offset. */
    getShort(index: number): number;
  }
  interface CharacterClass {
    class_id: number;
    class_name: string;
    /** 1 when unknown-word processing runs even where a dictionary word starts (char.def INVOKE). */
    is_always_invoke: number;
    /** 1 when a run of this class may form one unknown word (char.def GROUP). */
    is_grouping: number;
    /** Unknown words of 1..max_length characters are added (char.def LENGTH). */
    max_length: number;
  }
  class DynamicDictionaries {
    constructor();
    trie: { commonPrefixSearch(key: string): { k: string; v: number }[] };
    token_info_dictionary: { target_map: Record<number, number[]>; dictionary: ShortReader };
    unknown_dictionary: {
      target_map: Record<number, number[]>;
      dictionary: ShortReader;
      lookup(ch: string): CharacterClass;
      lookupCompatibleCategory(ch: string): CharacterClass[];
    };
    connection_costs: { get(rightId: number, leftId: number): number };
    loadTrie(base: Int32Array, check: Int32Array): DynamicDictionaries;
    loadTokenInfoDictionaries(
      tokenInfo: Uint8Array,
      pos: Uint8Array,
      targetMap: Uint8Array,
    ): DynamicDictionaries;
    loadConnectionCosts(costs: Int16Array): DynamicDictionaries;
    loadUnknownDictionaries(
      unk: Uint8Array,
      unkPos: Uint8Array,
      unkMap: Uint8Array,
      catMap: Uint8Array,
      compatCatMap: Uint32Array,
      invokeDef: Uint8Array,
    ): DynamicDictionaries;
  }
  export = DynamicDictionaries;
}
