//! NTLM and Negotiate through Windows' SSPI (`secur32.dll`): with explicit credentials,
//! those; without, the logged-on user's (single sign-on, what a domain PC's browser and
//! the SQL Server service account do). Each leg's token comes from
//! `InitializeSecurityContextW`, the proxy's challenge going back in.

use std::ptr::null_mut;

use base64::Engine as _;
use windows::Win32::Foundation::{SEC_E_OK, SEC_I_CONTINUE_NEEDED};
use windows::Win32::Security::Authentication::Identity::{
    AcquireCredentialsHandleW, DeleteSecurityContext, FreeContextBuffer, FreeCredentialsHandle,
    ISC_REQ_ALLOCATE_MEMORY, ISC_REQ_CONNECTION, InitializeSecurityContextW, SECBUFFER_TOKEN,
    SECBUFFER_VERSION, SECPKG_CRED_OUTBOUND, SECURITY_NATIVE_DREP, SecBuffer, SecBufferDesc,
};
use windows::Win32::Security::Credentials::SecHandle;
use windows::Win32::System::Rpc::{SEC_WINNT_AUTH_IDENTITY_UNICODE, SEC_WINNT_AUTH_IDENTITY_W};
use windows::core::PCWSTR;

use super::{Handshake, Scheme};
use crate::secret::Secret;

/// One SSPI handshake (its credentials handle and, after the first leg, its context).
pub(crate) struct Sspi {
    scheme: Scheme,
    credentials: SecHandle,
    context: Option<SecHandle>,
    /// `HTTP/proxy-host`, the service Kerberos asks a ticket for.
    target: Vec<u16>,
    done: bool,
}

fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain(Some(0)).collect()
}

impl Sspi {
    /// Credentials for `scheme` (NTLM or Negotiate) toward the proxy `host`: `explicit`
    /// ones (`DOMAIN\user`, password), else the logged-on user's.
    pub(crate) fn new(
        scheme: Scheme,
        host: &str,
        explicit: Option<(&Secret, &Secret)>,
    ) -> Result<Self, String> {
        let package = wide(match scheme {
            Scheme::Negotiate => "Negotiate",
            _ => "NTLM",
        });
        let mut user: Vec<u16> = Vec::new();
        let mut domain: Vec<u16> = Vec::new();
        let mut password: Vec<u16> = Vec::new();
        let identity = explicit.map(|(u, p)| {
            let (d, name) = u.expose().split_once('\\').unwrap_or(("", u.expose()));
            user = name.encode_utf16().collect();
            domain = d.encode_utf16().collect();
            password = p.expose().encode_utf16().collect();
            SEC_WINNT_AUTH_IDENTITY_W {
                User: user.as_mut_ptr(),
                UserLength: user.len() as u32,
                Domain: domain.as_mut_ptr(),
                DomainLength: domain.len() as u32,
                Password: password.as_mut_ptr(),
                PasswordLength: password.len() as u32,
                Flags: SEC_WINNT_AUTH_IDENTITY_UNICODE,
            }
        });
        let mut credentials = SecHandle::default();
        // SAFETY: the package name and the identity's buffers outlive the call.
        let acquired = unsafe {
            AcquireCredentialsHandleW(
                PCWSTR::null(),
                PCWSTR(package.as_ptr()),
                SECPKG_CRED_OUTBOUND,
                None,
                identity
                    .as_ref()
                    .map(|i| std::ptr::from_ref(i).cast::<core::ffi::c_void>()),
                None,
                None,
                &mut credentials,
                None,
            )
        };
        // The password's copy is wiped whatever happened.
        password.iter_mut().for_each(|c| *c = 0);
        acquired.map_err(|e| {
            format!(
                "Windows refused {} credentials (SSPI error {:#x})",
                scheme.name(),
                e.code().0
            )
        })?;
        Ok(Sspi {
            scheme,
            credentials,
            context: None,
            target: wide(&format!("HTTP/{host}")),
            done: false,
        })
    }

    /// One call of InitializeSecurityContextW with the proxy's `input` token (none on the
    /// first leg); the token to send, or `None` when SSPI has nothing more to say.
    fn step(&mut self, input: Option<&[u8]>) -> Result<Option<Vec<u8>>, String> {
        if self.done {
            return Ok(None);
        }
        let mut input_bytes = input.map(<[u8]>::to_vec).unwrap_or_default();
        let mut in_buffer = SecBuffer {
            cbBuffer: input_bytes.len() as u32,
            BufferType: SECBUFFER_TOKEN,
            pvBuffer: input_bytes.as_mut_ptr().cast(),
        };
        let in_desc = SecBufferDesc {
            ulVersion: SECBUFFER_VERSION,
            cBuffers: 1,
            pBuffers: &mut in_buffer,
        };
        let mut out_buffer = SecBuffer {
            cbBuffer: 0,
            BufferType: SECBUFFER_TOKEN,
            pvBuffer: null_mut(),
        };
        let mut out_desc = SecBufferDesc {
            ulVersion: SECBUFFER_VERSION,
            cBuffers: 1,
            pBuffers: &mut out_buffer,
        };
        let mut new_context = self.context.unwrap_or_default();
        let mut attributes = 0u32;
        // SAFETY: the handles are ours and live; the buffers outlive the call; SSPI
        // allocates the output token (ISC_REQ_ALLOCATE_MEMORY), freed below.
        let status = unsafe {
            InitializeSecurityContextW(
                Some(&self.credentials),
                self.context.as_ref().map(std::ptr::from_ref),
                Some(self.target.as_ptr()),
                ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_CONNECTION,
                0,
                SECURITY_NATIVE_DREP,
                input.is_some().then_some(std::ptr::from_ref(&in_desc)),
                0,
                Some(&mut new_context),
                Some(&mut out_desc),
                &mut attributes,
                None,
            )
        };
        let token = if out_buffer.pvBuffer.is_null() {
            Vec::new()
        } else {
            // SAFETY: SSPI wrote cbBuffer bytes there; freed once.
            let bytes = unsafe {
                std::slice::from_raw_parts(
                    out_buffer.pvBuffer.cast::<u8>(),
                    out_buffer.cbBuffer as usize,
                )
            }
            .to_vec();
            let _ = unsafe { FreeContextBuffer(out_buffer.pvBuffer) };
            bytes
        };
        if status != SEC_E_OK && status != SEC_I_CONTINUE_NEEDED {
            return Err(format!(
                "Windows could not answer the {} challenge (SSPI error {:#x})",
                self.scheme.name(),
                status.0
            ));
        }
        self.context = Some(new_context);
        self.done = status == SEC_E_OK;
        Ok((!token.is_empty()).then_some(token))
    }

    fn header(&self, token: &[u8]) -> Secret {
        Secret::new(format!(
            "{} {}",
            self.scheme.name(),
            base64::engine::general_purpose::STANDARD.encode(token)
        ))
    }
}

impl Handshake for Sspi {
    fn first(&mut self) -> Result<Secret, String> {
        let token = self
            .step(None)?
            .ok_or_else(|| format!("Windows gave no first {} token", self.scheme.name()))?;
        Ok(self.header(&token))
    }

    fn answer(&mut self, challenge: &str) -> Result<Option<Secret>, String> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(challenge.trim())
            .map_err(|_| format!("sent a {} challenge that is not base64", self.scheme.name()))?;
        Ok(self.step(Some(&bytes))?.map(|t| self.header(&t)))
    }
}

impl Drop for Sspi {
    fn drop(&mut self) {
        // SAFETY: handles acquired by this value, released once.
        unsafe {
            if let Some(context) = self.context.take() {
                let _ = DeleteSecurityContext(&context);
            }
            let _ = FreeCredentialsHandle(&self.credentials);
        }
    }
}

// SAFETY: the handles are plain values SSPI lets any thread use, one call at a time (a
// tunnel being opened is owned by one thread).
unsafe impl Send for Sspi {}
