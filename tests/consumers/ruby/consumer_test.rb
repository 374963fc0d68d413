# The Ruby consumer test: the ffi gem, through examples/ruby/zoomlive.rb (the binding
# the Ruby example uses), against the emulator, asking its control API what arrived.
#
# Usage: ruby consumer_test.rb EMULATOR_URL  (token in ZOOM_ACCESS_TOKEN, never printed;
# the header's ZOOMLIVE_VERSION in ZOOMLIVE_HEADER_VERSION). Exits 1 on any failure.
require 'json'
require 'net/http'
require 'uri'
require_relative '../../../examples/ruby/zoomlive'

MEETING = '68423085'
WEBINAR = '91234567890'
SEED_SETTINGS = '{"active_speaker_name":false,"display_name":"dolore ullamco irur"}'
# What the Chilkat seeds really sent: the action glued in front of the settings.
GLUED_SETTINGS = "start#{SEED_SETTINGS}"
PAGE_URL = 'https://IBrRnEbZoeJwPd.ixq+PqOQQZC-z42EWi'
NON_ASCII = 'Zoë – café ✓'

abort 'usage: consumer_test.rb EMULATOR_URL' if ARGV.empty?
EMULATOR = ARGV[0]
API_BASE = "#{EMULATOR}/v2"
TOKEN = ENV.fetch('ZOOM_ACCESS_TOKEN', '')
$passed = 0
$failed = 0

def check(ok, name, detail = '')
  if ok
    $passed += 1
    puts "ok - #{name}"
  else
    $failed += 1
    puts "not ok - #{name} #{detail}"
  end
end

def control(method, path, body = nil)
  uri = URI("#{EMULATOR}#{path}")
  req = Net::HTTP.const_get(method.capitalize).new(uri)
  if body
    req['Content-Type'] = 'application/json'
    req.body = body.to_json
  end
  resp = Net::HTTP.start(uri.host, uri.port) { |http| http.request(req) }
  raise "control API #{method} #{path} answered #{resp.code}" unless resp.code.start_with?('2')

  resp.body && !resp.body.empty? ? JSON.parse(resp.body.force_encoding('UTF-8')) : nil
end

# The request log after one call: exactly one request, returned.
def one_request(name)
  log = control('GET', '/_emulator/requests')
  check(log.size == 1, "#{name}: the emulator received exactly one request", log.inspect)
  req = log.first || {}
  check(req['authorization'] == 'Bearer ***' && !log.to_json.include?(TOKEN),
        "#{name}: a bearer token was sent, and the log never shows it")
  req
end

def msg = ZoomLive.last_error_message

control('POST', '/_emulator/reset')

check(ZoomLive.zoomlive_version == ENV['ZOOMLIVE_HEADER_VERSION'],
      "zoomlive_version() equals the header's ZOOMLIVE_VERSION", ZoomLive.zoomlive_version)
check(ZoomLive.zoomlive_status_str(ZoomLive::NOT_FOUND) == 'not found',
      'zoomlive_status_str(NOT_FOUND) is "not found"')

status, client = ZoomLive.client_new(TOKEN)
check(status == ZoomLive::OK && client && !client.null?, 'zoomlive_client_new gives a handle')
exit 1 unless client
check(ZoomLive.zoomlive_client_set_base_url(client, API_BASE) == ZoomLive::OK,
      'zoomlive_client_set_base_url accepts the emulator')

# 1. Meeting live stream status: seeds 001-003, with the settings they meant.
status = ZoomLive.zoomlive_meeting_livestream_status(client, MEETING, 'start', SEED_SETTINGS)
check(status == ZoomLive::OK, 'meeting status start with settings: OK', "#{status} #{msg}")
req = one_request('meeting status')
check(req['method'] == 'PATCH' && req['path'] == "/v2/meetings/#{MEETING}/livestream/status" && req['status'] == 204,
      'meeting status: PATCH /v2/meetings/68423085/livestream/status answered 204', req.inspect)
check(req['encoding'] == 'multipart' && req['fields'] == { 'action' => 'start', 'settings' => SEED_SETTINGS },
      'meeting status: multipart action=start and the settings JSON arrived as sent', req.inspect)

# 2. Webinar live stream status: seed 000.
control('DELETE', '/_emulator/requests')
webinar_settings = '{"active_speaker_name":false,"display_name":"reprehender"}'
status = ZoomLive.zoomlive_webinar_livestream_status(client, WEBINAR, 'start', webinar_settings)
check(status == ZoomLive::OK, 'webinar status start with settings: OK', msg)
req = one_request('webinar status')
check(req['path'] == "/v2/webinars/#{WEBINAR}/livestream/status" && req['status'] == 204 &&
      req['fields'] == { 'action' => 'start', 'settings' => webinar_settings },
      'webinar status: PATCH /v2/webinars/91234567890/livestream/status with its settings, 204', req.inspect)

# 3. Meeting live stream update: seed 004, with the page_url it meant.
control('DELETE', '/_emulator/requests')
status = ZoomLive.zoomlive_meeting_livestream_update(client, MEETING, 'aute', 'officia', PAGE_URL, nil)
check(status == ZoomLive::OK, 'meeting livestream update: OK', msg)
req = one_request('meeting update')
check(req['method'] == 'PATCH' && req['path'] == "/v2/meetings/#{MEETING}/livestream" && req['status'] == 204 &&
      req['fields'] == { 'stream_url' => 'aute', 'stream_key' => '***', 'page_url' => PAGE_URL },
      'meeting update: PATCH /v2/meetings/68423085/livestream with stream_url, stream_key, page_url', req.inspect)

# Reading it back: a too-small buffer first, then one of the size asked for.
needed = FFI::MemoryPointer.new(:size_t)
small = FFI::MemoryPointer.new(:char, 8)
status = ZoomLive.zoomlive_meeting_livestream_get(client, MEETING, small, 8, needed)
check(status == ZoomLive::BUFFER_TOO_SMALL && needed.read(:size_t) > 8,
      'livestream get into 8 bytes: BUFFER_TOO_SMALL and the size needed')
big = FFI::MemoryPointer.new(:char, needed.read(:size_t))
status = ZoomLive.zoomlive_meeting_livestream_get(client, MEETING, big, big.size, needed)
got = status == ZoomLive::OK ? JSON.parse(big.read_string(needed.read(:size_t) - 1)) : {}
check(got['page_url'] == PAGE_URL && got['stream_url'] == 'aute' && got['stream_key'] == 'officia',
      'livestream get with the size asked for: the values just set', got.inspect)

# 4. Unknown meeting: NOT_FOUND, Zoom code 3001, message through a small buffer first.
status = ZoomLive.zoomlive_meeting_livestream_status(client, '999999', 'stop', nil)
check(status == ZoomLive::NOT_FOUND, 'unknown meeting: NOT_FOUND', status.to_s)
check(ZoomLive.zoomlive_last_status == ZoomLive::NOT_FOUND && ZoomLive.zoomlive_last_http_status == 404 &&
      ZoomLive.zoomlive_last_zoom_code == 3001, 'unknown meeting: last status 7, HTTP 404, Zoom code 3001')
small.put_bytes(0, 'x' * 8)
status = ZoomLive.zoomlive_last_error_message(small, 8, needed)
size = needed.read(:size_t)
check(status == ZoomLive::BUFFER_TOO_SMALL && size > 8 && small.get_bytes(0, 8) == 'x' * 8,
      'error message into 8 bytes: BUFFER_TOO_SMALL, the size needed, the buffer untouched')
buf = FFI::MemoryPointer.new(:char, size)
status = ZoomLive.zoomlive_last_error_message(buf, size, needed)
message = buf.get_bytes(0, size)
check(status == ZoomLive::OK && needed.read(:size_t) == size && message.end_with?("\0") &&
      message.count("\0") == 1 && message.include?('3001') && message.include?('does not exist: 999999'),
      "error message with the size asked for: Zoom's code and message", message.inspect)
check(!ZoomLive.last_tracking_id.empty?, 'unknown meeting: a tracking id to quote to Zoom')

# 5. Invalid argument: the seeds' glued settings are refused before anything is sent.
control('DELETE', '/_emulator/requests')
status = ZoomLive.zoomlive_meeting_livestream_status(client, MEETING, 'start', GLUED_SETTINGS)
message = msg
check(status == ZoomLive::INVALID_ARGUMENT, 'glued start{...} settings: INVALID_ARGUMENT')
check(message.include?('settings') && message.include?('start{') && ZoomLive.last_error_field == 'settings',
      'glued settings: the message and field name the settings', message)
log = control('GET', '/_emulator/requests')
check(log == [], 'glued settings: nothing was sent', log.inspect)

# 6. Non-ASCII display name, as UTF-8, arriving intact.
control('POST', '/_emulator/reset')
settings = { 'active_speaker_name' => false, 'display_name' => NON_ASCII }.to_json
status = ZoomLive.zoomlive_meeting_livestream_status(client, MEETING, 'start', settings)
check(status == ZoomLive::OK, 'non-ASCII display name: OK', msg)
req = one_request('non-ASCII')
sent = JSON.parse(req.dig('fields', 'settings') || '{}')
check(sent['display_name'] == NON_ASCII && sent['display_name'].bytesize == 18,
      'non-ASCII display name arrived intact (UTF-8)', req.inspect)

# 7. Settings while live: Zoom's 400 with code 3000.
status = ZoomLive.zoomlive_meeting_livestream_status(client, MEETING, 'start', SEED_SETTINGS)
check(status == ZoomLive::API_ERROR && ZoomLive.zoomlive_last_http_status == 400 &&
      ZoomLive.zoomlive_last_zoom_code == 3000, 'settings while live: API_ERROR, HTTP 400, Zoom code 3000')

# 8. A refused token: AUTH, and the message does not hold it.
status, bad = ZoomLive.client_new('not-the-right-token-0123456789')
check(status == ZoomLive::OK, 'a second client with a wrong token')
ZoomLive.zoomlive_client_set_base_url(bad, API_BASE)
status = ZoomLive.zoomlive_meeting_livestream_status(bad, MEETING, 'stop', nil)
message = msg
check(status == ZoomLive::AUTH && ZoomLive.zoomlive_last_http_status == 401, 'wrong token: AUTH, HTTP 401')
check(!message.include?('not-the-right-token'), 'wrong token: the message does not hold the token', message)
ZoomLive.zoomlive_client_free(bad)

# 9. Rate limited, retries off: RATE_LIMITED with Retry-After in ms.
control('POST', '/_emulator/faults', { status: 429, code: 429, message: 'slow down', retry_after: '1' })
ZoomLive.zoomlive_client_set_max_retries(client, 0)
status = ZoomLive.zoomlive_meeting_livestream_status(client, MEETING, 'stop', nil)
check(status == ZoomLive::RATE_LIMITED && ZoomLive.zoomlive_last_retry_after_ms == 1000 &&
      ZoomLive.zoomlive_last_zoom_code == 429, 'a 429 with retries off: RATE_LIMITED, Retry-After 1000 ms')

# 10. A success clears the last error.
status = ZoomLive.zoomlive_meeting_livestream_status(client, MEETING, 'stop', nil)
check(status == ZoomLive::OK && ZoomLive.zoomlive_last_status == ZoomLive::OK && msg.empty? &&
      ZoomLive.zoomlive_last_http_status.zero?, 'a success clears the last error')

ZoomLive.zoomlive_client_free(client)
ZoomLive.zoomlive_client_free(nil)

puts "ruby: #{$passed} passed, #{$failed} failed"
exit($failed.zero? ? 0 : 1)
