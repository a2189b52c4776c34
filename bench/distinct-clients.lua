-- wrk script of the load benchmark's scale run (bench/load.sh): every request is a different
-- client, with a unique X-Client-Id and User-Agent and no cookie.
-- Arguments: 1 = responses per thread (its quota), 2 = marker file. Each thread stops after its
-- quota and appends a line to the marker file; load.sh then ends wrk with SIGINT (wrk itself would
-- idle until -d is over).
local threads = {}
local next_id = 1
function setup(thread)
  thread:set("tid", next_id)
  table.insert(threads, thread)
  next_id = next_id + 1
end
function init(args)
  quota = tonumber(args[1])
  marker = args[2]
  sent, responses, cookies, non200, finished = 0, 0, 0, 0, false
end
function request()
  sent = sent + 1
  local id = string.format("client-%d-%d", tid, sent)
  return wrk.format(nil, nil, { ["X-Client-Id"] = id, ["User-Agent"] = "bench/" .. id })
end
function response(status, headers, body)
  responses = responses + 1
  if status ~= 200 then non200 = non200 + 1 end
  if headers["Set-Cookie"] or headers["set-cookie"] then cookies = cookies + 1 end
  if responses >= quota and not finished then
    finished = true
    local f = io.open(marker, "a")
    f:write("thread done\n")
    f:close()
    wrk.thread:stop()
  end
end
function done(summary, latency, requests)
  local r, c, e = 0, 0, 0
  for _, t in ipairs(threads) do
    r = r + t:get("responses"); c = c + t:get("cookies"); e = e + t:get("non200")
  end
  io.write(string.format("distinct-clients: responses=%d set_cookie=%d non200=%d\n", r, c, e))
end
