# Starts a Zoom meeting's live stream with zoomlive (PATCH
# /v2/meetings/:meetingId/livestream/status, action=start, with settings).
#
# Replaces seed 002 (Ruby, Chilkat::CkHttp; see examples/README.md). It sends the
# settings the seed meant to send (its Postman JSON; the Chilkat code glued "start"
# in front of them, which zoomlive refuses) and, on failure, prints what the seed
# printed: the response status code, Zoom's answer, then "Failed.". The message never
# holds the token (Chilkat's lastErrorText did).
#
#   ZOOM_ACCESS_TOKEN=... ruby examples/ruby/update_live_stream_status.rb [meetingId]
# ZOOM_BASE_URL points it at another API base URL, such as the emulator's.
require_relative 'zoomlive'

def failed(status)
  print 'Error: ' + ZoomLive.zoomlive_status_str(status) + "\n"
  if ZoomLive.zoomlive_last_http_status != 0
    print 'Response Status Code = ' + ZoomLive.zoomlive_last_http_status.to_s + "\n"
    print 'Zoom error code = ' + ZoomLive.zoomlive_last_zoom_code.to_s + "\n"
    print 'Tracking id = ' + ZoomLive.last_tracking_id + "\n"
  end
  print ZoomLive.last_error_message + "\n"
  print "Failed.\n"
  exit 1
end

meeting_id = ARGV[0] || '68423085'
status, client = ZoomLive.client_new(ENV.fetch('ZOOM_ACCESS_TOKEN', ''))
failed(status) unless status == ZoomLive::OK
begin
  base_url = ENV['ZOOM_BASE_URL']
  if base_url && !base_url.empty?
    status = ZoomLive.zoomlive_client_set_base_url(client, base_url)
    failed(status) unless status == ZoomLive::OK
  end
  status = ZoomLive.zoomlive_meeting_livestream_status(
    client, meeting_id, 'start', '{"active_speaker_name":false,"display_name":"dolore ullamco irur"}'
  )
  failed(status) unless status == ZoomLive::OK
  print "Success.\n"
ensure
  ZoomLive.zoomlive_client_free(client)
end
