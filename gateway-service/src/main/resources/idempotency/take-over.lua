-- KEYS[1]: an Idempotency-Key's entry; ARGV[1]: the abandoned claim a retry found there;
-- ARGV[2]: the retry's claim. Of several retries that found the same abandoned claim, one takes
-- it over (1); the others see it taken (0).
if redis.call('GET', KEYS[1]) == ARGV[1] then
    redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
    return 1
end
return 0
