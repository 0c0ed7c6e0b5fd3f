/** Kestra's size spellings are read once, in lib/config, for settings and Docker options alike. */
export { parseByteSize } from '../../config/byte-size';
