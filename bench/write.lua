-- wrk script for bench/run.sh: every request is a new write by one of many signed-in
-- participants, each from a network of its own (X-Forwarded-For to a server that trusts
-- 127.0.0.1), as a plain JSON client of the server functions would send it.
--   wrk -s bench/write.lua URL -- KIND SESSIONS_FILE COMMENT_IDS_FILE ORG SLUG THREADS ORIGIN
-- KIND: vote (support comment number floor(i / participants) from participant i % participants,
-- so no pair repeats) or comment (a new top-level comment with a unique text).
-- At the end it prints one JSON line: the answers by kind (ok = acknowledged with 200).

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local function lines(path)
  local out = {}
  for line in io.lines(path) do
    if line ~= "" then table.insert(out, line) end
  end
  return out
end

local function encode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  kind, org, slug, nthreads, origin = args[1], args[4], args[5], tonumber(args[6]), args[7]
  sessions = lines(args[2])
  comments = lines(args[3])
  n, ok, limited, refused, failed = 0, 0, 0, 0, 0
end

function request()
  local i = n * nthreads + id
  n = n + 1
  local p = i % #sessions
  local path, body
  if kind == "vote" then
    local c = math.floor(i / #sessions) % #comments + 1
    path = "/api/vote_comment"
    body = "org=" .. org .. "&slug=" .. slug .. "&comment_id=" .. comments[c] .. "&vote=up"
  else
    path = "/api/post_comment"
    body = "org=" .. org .. "&slug=" .. slug .. "&parent_id=&body="
      .. encode("Lastprobe " .. i .. ": Bitte die Ampel an der Kreuzung länger grün schalten.")
  end
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept"] = "application/json",
    ["Origin"] = origin,
    ["Cookie"] = sessions[p + 1],
    ["X-Forwarded-For"] = "10." .. math.floor(p / 256) % 256 .. "." .. p % 256 .. ".7",
  }
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
  elseif status == 429 then
    limited = limited + 1
  elseif status < 500 then
    refused = refused + 1
  else
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local t = { ok = 0, limited = 0, refused = 0, failed = 0 }
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do
      t[k] = t[k] + thread:get(k)
    end
  end
  io.write(string.format(
    '{"ok":%d,"limited":%d,"refused":%d,"failed":%d,"seconds":%.3f,"p50_ms":%.2f,"p99_ms":%.2f}\n',
    t.ok, t.limited, t.refused, t.failed, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
