# zoomlive's C ABI (include/zoomlive.h) for Ruby, through the ffi gem
# (Debian: ruby-ffi; elsewhere: gem install ffi).
#
# The library is found by name (libzoomlive.so, zoomlive.dll, libzoomlive.dylib on
# the loader's path) or at the path in ZOOMLIVE_LIB.
require 'ffi'

module ZoomLive
  extend FFI::Library

  # 32-bit Windows builds of zoomlive.dll export stdcall functions.
  ffi_convention :stdcall if FFI::Platform.windows? && FFI::Platform::ARCH == 'i386'
  ffi_lib ENV.fetch('ZOOMLIVE_LIB', 'zoomlive')

  OK = 0
  NULL_ARGUMENT = 1
  INVALID_ARGUMENT = 2
  INVALID_UTF8 = 3
  TRANSPORT = 4
  TIMEOUT = 5
  AUTH = 6
  NOT_FOUND = 7
  RATE_LIMITED = 8
  API_ERROR = 9
  BUFFER_TOO_SMALL = 10
  PANIC = 11

  # Text arguments are :string: Ruby passes the string's bytes, so give it UTF-8
  # (the default encoding of Ruby source and of most I/O).
  attach_function :zoomlive_client_new, [:string, :pointer], :int32
  attach_function :zoomlive_client_new_s2s, [:string, :string, :string, :pointer], :int32
  attach_function :zoomlive_client_free, [:pointer], :void
  attach_function :zoomlive_client_set_base_url, [:pointer, :string], :int32
  attach_function :zoomlive_client_set_oauth_url, [:pointer, :string], :int32
  attach_function :zoomlive_client_set_encoding, [:pointer, :string], :int32
  attach_function :zoomlive_client_set_timeout_ms, [:pointer, :uint32], :int32
  attach_function :zoomlive_client_set_max_retries, [:pointer, :uint32], :int32
  attach_function :zoomlive_meeting_livestream_status, [:pointer, :string, :string, :string], :int32
  attach_function :zoomlive_webinar_livestream_status, [:pointer, :string, :string, :string], :int32
  attach_function :zoomlive_meeting_livestream_update,
                  [:pointer, :string, :string, :string, :string, :string], :int32
  attach_function :zoomlive_webinar_livestream_update,
                  [:pointer, :string, :string, :string, :string, :string], :int32
  attach_function :zoomlive_meeting_livestream_get, [:pointer, :string, :pointer, :size_t, :pointer], :int32
  attach_function :zoomlive_last_status, [], :int32
  attach_function :zoomlive_last_http_status, [], :int32
  attach_function :zoomlive_last_zoom_code, [], :int64
  attach_function :zoomlive_last_retry_after_ms, [], :int64
  attach_function :zoomlive_last_error_message, [:pointer, :size_t, :pointer], :int32
  attach_function :zoomlive_last_error_field, [:pointer, :size_t, :pointer], :int32
  attach_function :zoomlive_last_tracking_id, [:pointer, :size_t, :pointer], :int32
  attach_function :zoomlive_status_str, [:int32], :string
  attach_function :zoomlive_version, [], :string

  # Reads a text getter (zoomlive_last_error_message and the like): asks for the
  # size, then copies with a buffer that fits. Returns a UTF-8 String.
  def self.text(getter)
    needed = FFI::MemoryPointer.new(:size_t)
    send(getter, nil, 0, needed)
    buf = FFI::MemoryPointer.new(:char, needed.read(:size_t))
    return '' unless send(getter, buf, buf.size, needed) == OK

    buf.read_string(needed.read(:size_t) - 1).force_encoding(Encoding::UTF_8)
  end

  def self.last_error_message = text(:zoomlive_last_error_message)
  def self.last_error_field = text(:zoomlive_last_error_field)
  def self.last_tracking_id = text(:zoomlive_last_tracking_id)

  # A new client authenticating with a bearer token; returns an FFI::Pointer.
  # Raise-free like the C ABI: returns [status, client].
  def self.client_new(token)
    out = FFI::MemoryPointer.new(:pointer)
    status = zoomlive_client_new(token, out)
    [status, status == OK ? out.read_pointer : nil]
  end
end
