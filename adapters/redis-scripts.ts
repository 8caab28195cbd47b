/**
 * Delete KEYS[1] only when it holds ARGV[1]; returns 1 when deleted, else 0.
 * One key per call, so it runs on a Redis Cluster as well as on one node.
 */
export const DESTROY_IF_EQUAL_SCRIPT =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";
