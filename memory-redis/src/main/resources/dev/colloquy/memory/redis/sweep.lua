-- deleteIdleSince: one batch of the conversations saved before the cutoff (the caller repeats
-- while a batch comes back full).
-- KEYS[1] the updated-at index; ARGV[1] key prefix, [2] cutoff in microseconds since the epoch
-- (exclusive), [3] batch size
-- Returns {conversations deleted, index entries examined}.
local members =
  redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
local deleted = 0
for _, member in ipairs(members) do
  if not dropIfStale(ARGV[1], KEYS[1], member) then
    local tenantCode, idCode = parseMember(member)
    forget(ARGV[1], KEYS[1], tenantCode, idCode)
    deleted = deleted + 1
  end
end
return {deleted, #members}
