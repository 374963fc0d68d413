/* ZoomLive.Client through IDispatch from C, as FoxPro and sp_OAMethod call it: what
 * VBScript cannot pass or see. Run by tests/windows/com/run.sh under Wine, both
 * bitnesses, after regsvr32, against the emulator:
 *
 *   dispatch.exe EMULATOR_URL LABEL
 *
 * Ids as VT_I8, VT_UI4, VT_DECIMAL (scaled too), VT_R8, VT_BYREF|VT_I4 (FoxPro's @var)
 * and VT_BYREF|VT_BSTR; a missing optional argument (VT_ERROR DISP_E_PARAMNOTFOUND);
 * the exact HRESULTs (DISP_E_UNKNOWNNAME, DISP_E_BADPARAMCOUNT, DISP_E_MEMBERNOTFOUND,
 * DISP_E_NONAMEDARGS); one object called from four threads at once (the registration
 * says ThreadingModel=Both; this is a multithreaded apartment); DllCanUnloadNow.
 * Prints "ok"/"not ok" lines and "com-dispatch-LABEL: N passed, M failed". */
#define COBJMACROS
#include <windows.h>
#include <oleauto.h>
#include <stdio.h>
#include <string.h>

static int passed, failed;
static const char *label;

static void check(const char *name, int cond, long got) {
  if (cond) {
    passed++;
    printf("ok - dispatch %s: %s\n", label, name);
  } else {
    failed++;
    printf("not ok - dispatch %s: %s (got %ld / 0x%08lx)\n", label, name, got, (unsigned long)got);
  }
}

static DISPID id_of(IDispatch *d, const wchar_t *name) {
  DISPID id = DISPID_UNKNOWN;
  LPOLESTR n = (LPOLESTR)name;
  IDispatch_GetIDsOfNames(d, &IID_NULL, &n, 1, LOCALE_USER_DEFAULT, &id);
  return id;
}

/* Calls method NAME with ARGS (first argument first); returns the HRESULT, the Long
 * result in *status. */
static HRESULT call(IDispatch *d, const wchar_t *name, VARIANT *args, int n, long *status) {
  VARIANT rev[8], result;
  DISPPARAMS p = {rev, NULL, (UINT)n, 0};
  for (int i = 0; i < n; i++) rev[i] = args[n - 1 - i];
  VariantInit(&result);
  HRESULT hr = IDispatch_Invoke(d, id_of(d, name), &IID_NULL, LOCALE_USER_DEFAULT,
                                DISPATCH_METHOD | DISPATCH_PROPERTYGET, &p, &result, NULL, NULL);
  *status = (SUCCEEDED(hr) && V_VT(&result) == VT_I4) ? V_I4(&result) : -1000;
  VariantClear(&result);
  return hr;
}

static long status_of(IDispatch *d, const wchar_t *name, VARIANT *args, int n) {
  long s;
  HRESULT hr = call(d, name, args, n, &s);
  return SUCCEEDED(hr) ? s : (long)hr;
}

static HRESULT put(IDispatch *d, const wchar_t *name, VARIANT value) {
  DISPID named = DISPID_PROPERTYPUT;
  DISPPARAMS p = {&value, &named, 1, 1};
  return IDispatch_Invoke(d, id_of(d, name), &IID_NULL, LOCALE_USER_DEFAULT,
                          DISPATCH_PROPERTYPUT, &p, NULL, NULL, NULL);
}

static VARIANT bstr(const char *s) {
  VARIANT v;
  wchar_t w[1024];
  MultiByteToWideChar(CP_UTF8, 0, s, -1, w, 1024);
  VariantInit(&v);
  V_VT(&v) = VT_BSTR;
  V_BSTR(&v) = SysAllocString(w);
  return v;
}

static VARIANT i8(LONGLONG n) { VARIANT v; VariantInit(&v); V_VT(&v) = VT_I8; V_I8(&v) = n; return v; }
static VARIANT ui4(ULONG n) { VARIANT v; VariantInit(&v); V_VT(&v) = VT_UI4; V_UI4(&v) = n; return v; }
static VARIANT r8(double n) { VARIANT v; VariantInit(&v); V_VT(&v) = VT_R8; V_R8(&v) = n; return v; }
static VARIANT dec(ULONGLONG mantissa, BYTE scale, int negative) {
  VARIANT v;
  VariantInit(&v);
  V_VT(&v) = VT_DECIMAL;
  V_DECIMAL(&v).scale = scale;
  V_DECIMAL(&v).sign = negative ? DECIMAL_NEG : 0;
  V_DECIMAL(&v).Hi32 = 0;
  V_DECIMAL(&v).Lo64 = mantissa;
  return v;
}
static VARIANT missing(void) { VARIANT v; VariantInit(&v); V_VT(&v) = VT_ERROR; V_ERROR(&v) = DISP_E_PARAMNOTFOUND; return v; }

static IDispatch *shared;
static volatile LONG thread_failures;

static DWORD WINAPI worker(void *arg) {
  (void)arg;
  CoInitializeEx(NULL, COINIT_MULTITHREADED);
  for (int i = 0; i < 20; i++) {
    VARIANT id = i8(68423085);
    if (status_of(shared, L"MeetingLivestreamGet", &id, 1) != 0) InterlockedIncrement(&thread_failures);
  }
  CoUninitialize();
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: dispatch.exe EMULATOR_URL LABEL\n");
    return 2;
  }
  label = argv[2];
  char base[512];
  snprintf(base, sizeof base, "%s/v2", argv[1]);
  CoInitializeEx(NULL, COINIT_MULTITHREADED);

  CLSID clsid;
  IDispatch *d = NULL;
  HRESULT hr = CLSIDFromProgID(L"ZoomLive.Client", &clsid);
  check("CLSIDFromProgID(ZoomLive.Client)", hr == S_OK, hr);
  hr = CoCreateInstance(&clsid, NULL, CLSCTX_INPROC_SERVER, &IID_IDispatch, (void **)&d);
  check("CoCreateInstance(IDispatch)", hr == S_OK && d, hr);
  if (!d) goto done;
  IUnknown *unknown = NULL;
  hr = IDispatch_QueryInterface(d, &IID_IUnknown, (void **)&unknown);
  check("QueryInterface(IUnknown)", hr == S_OK, hr);
  if (unknown) IUnknown_Release(unknown);
  UINT count = 99;
  hr = IDispatch_GetTypeInfoCount(d, &count);
  check("GetTypeInfoCount = 0 (late-bound only)", hr == S_OK && count == 0, (long)count);

  /* GetIDsOfNames */
  check("GetIDsOfNames(\"usEACCESStoken\") = 1", id_of(d, L"usEACCESStoken") == 1, id_of(d, L"usEACCESStoken"));
  DISPID ids[2] = {0, 0};
  LPOLESTR names[2] = {L"nosuchmember", L"x"};
  hr = IDispatch_GetIDsOfNames(d, &IID_NULL, names, 1, LOCALE_USER_DEFAULT, ids);
  check("GetIDsOfNames(unknown) = DISP_E_UNKNOWNNAME", hr == DISP_E_UNKNOWNNAME && ids[0] == DISPID_UNKNOWN, hr);
  names[0] = L"MeetingLivestreamGet";
  names[1] = L"meetingId";
  hr = IDispatch_GetIDsOfNames(d, &IID_NULL, names, 2, LOCALE_USER_DEFAULT, ids);
  check("GetIDsOfNames(member, parameter name) = DISP_E_UNKNOWNNAME, member found",
        hr == DISP_E_UNKNOWNNAME && ids[0] == 7 && ids[1] == DISPID_UNKNOWN, hr);

  VARIANT a[6];
  a[0] = bstr("eyJhbGciOiJIUzI1NiJ9.FAKE-ZOOM-TOKEN-0123456789abcdef");
  check("UseAccessToken(BSTR) = 0", status_of(d, L"UseAccessToken", a, 1) == 0, status_of(d, L"UseAccessToken", a, 1));
  VariantClear(&a[0]);
  VARIANT url = bstr(base);
  check("BaseUrl = emulator (DISPATCH_PROPERTYPUT)", put(d, L"BaseUrl", url) == S_OK, 0);
  VariantClear(&url);

  /* Ids of every numeric type FoxPro and T-SQL pass. */
  a[0] = i8(68423085);
  check("meeting id VT_I8", status_of(d, L"MeetingLivestreamGet", a, 1) == 0, status_of(d, L"MeetingLivestreamGet", a, 1));
  a[0] = i8(91234567890LL);
  check("webinar id VT_I8 (> 2^32)", status_of(d, L"WebinarLivestreamGet", a, 1) == 0, status_of(d, L"WebinarLivestreamGet", a, 1));
  a[0] = ui4(68423085);
  check("meeting id VT_UI4", status_of(d, L"MeetingLivestreamGet", a, 1) == 0, status_of(d, L"MeetingLivestreamGet", a, 1));
  a[0] = r8(68423085.0);
  check("meeting id VT_R8 (integral)", status_of(d, L"MeetingLivestreamGet", a, 1) == 0, status_of(d, L"MeetingLivestreamGet", a, 1));
  a[0] = dec(91234567890ULL, 0, 0);
  check("webinar id VT_DECIMAL", status_of(d, L"WebinarLivestreamGet", a, 1) == 0, status_of(d, L"WebinarLivestreamGet", a, 1));
  a[0] = dec(684230850000ULL, 4, 0);
  check("meeting id VT_DECIMAL 68423085.0000 (scale 4)", status_of(d, L"MeetingLivestreamGet", a, 1) == 0, status_of(d, L"MeetingLivestreamGet", a, 1));
  a[0] = dec(684230855ULL, 1, 0);
  check("meeting id VT_DECIMAL 68423085.5 = INVALID_ARGUMENT", status_of(d, L"MeetingLivestreamGet", a, 1) == 2, status_of(d, L"MeetingLivestreamGet", a, 1));
  a[0] = dec(68423085ULL, 0, 1);
  check("meeting id VT_DECIMAL -68423085 = INVALID_ARGUMENT", status_of(d, L"MeetingLivestreamGet", a, 1) == 2, status_of(d, L"MeetingLivestreamGet", a, 1));
  a[0] = i8(-68423085);
  check("meeting id VT_I8 negative = INVALID_ARGUMENT", status_of(d, L"MeetingLivestreamGet", a, 1) == 2, status_of(d, L"MeetingLivestreamGet", a, 1));
  LONG byref_id = 68423085;
  VariantInit(&a[0]);
  V_VT(&a[0]) = VT_I4 | VT_BYREF;
  V_I4REF(&a[0]) = &byref_id;
  check("meeting id VT_I4|VT_BYREF (FoxPro @var)", status_of(d, L"MeetingLivestreamGet", a, 1) == 0, status_of(d, L"MeetingLivestreamGet", a, 1));
  BSTR byref_text = SysAllocString(L"68423085");
  V_VT(&a[0]) = VT_BSTR | VT_BYREF;
  V_BSTRREF(&a[0]) = &byref_text;
  check("meeting id VT_BSTR|VT_BYREF", status_of(d, L"MeetingLivestreamGet", a, 1) == 0, status_of(d, L"MeetingLivestreamGet", a, 1));
  SysFreeString(byref_text);

  /* An object as an id: refused, and its reference count left as it was (nothing
   * here may release what the host passed). */
  IDispatch *other = NULL;
  CoCreateInstance(&clsid, NULL, CLSCTX_INPROC_SERVER, &IID_IDispatch, (void **)&other);
  if (other) {
    ULONG before = IDispatch_AddRef(other);
    IDispatch_Release(other);
    VariantInit(&a[0]);
    V_VT(&a[0]) = VT_DISPATCH;
    V_DISPATCH(&a[0]) = other;
    long st = status_of(d, L"MeetingLivestreamGet", a, 1);
    st = st * 100 + status_of(d, L"UseAccessToken", a, 1);
    ULONG after = IDispatch_AddRef(other);
    IDispatch_Release(other);
    check("an object as an id or a token: INVALID_ARGUMENT, reference count kept", st == 202 && after == before,
          (long)after);
    IDispatch_Release(other);
  }
  a[0] = bstr("eyJhbGciOiJIUzI1NiJ9.FAKE-ZOOM-TOKEN-0123456789abcdef");
  status_of(d, L"UseAccessToken", a, 1);
  check("the caller's BSTR is intact after the call", SysStringLen(V_BSTR(&a[0])) == 53, (long)SysStringLen(V_BSTR(&a[0])));
  VariantClear(&a[0]);

  /* A missing optional argument, as VB passes it. */
  a[0] = bstr("68423085");
  a[1] = bstr("stop");
  a[2] = missing();
  check("settings passed as missing (VT_ERROR DISP_E_PARAMNOTFOUND)", status_of(d, L"MeetingLivestreamStatus", a, 3) == 0,
        status_of(d, L"MeetingLivestreamStatus", a, 3));

  /* COM errors: only the name and the argument count. */
  long s;
  hr = call(d, L"MeetingLivestreamStatus", a, 1, &s);
  check("1 argument to MeetingLivestreamStatus = DISP_E_BADPARAMCOUNT", hr == DISP_E_BADPARAMCOUNT, hr);
  hr = call(d, L"MeetingLivestreamStatus", a, 4, &s);
  check("4 arguments to MeetingLivestreamStatus = DISP_E_BADPARAMCOUNT", hr == DISP_E_BADPARAMCOUNT, hr);
  VARIANT result;
  DISPPARAMS none = {NULL, NULL, 0, 0};
  VariantInit(&result);
  hr = IDispatch_Invoke(d, 12345, &IID_NULL, 0, DISPATCH_METHOD, &none, &result, NULL, NULL);
  check("Invoke(unknown DISPID) = DISP_E_MEMBERNOTFOUND", hr == DISP_E_MEMBERNOTFOUND, hr);
  DISPID named = 0;
  DISPPARAMS with_named = {a, &named, 1, 1};
  hr = IDispatch_Invoke(d, id_of(d, L"MeetingLivestreamGet"), &IID_NULL, 0, DISPATCH_METHOD, &with_named, &result, NULL, NULL);
  check("named arguments = DISP_E_NONAMEDARGS", hr == DISP_E_NONAMEDARGS, hr);
  VARIANT five;
  VariantInit(&five);
  V_VT(&five) = VT_I4;
  V_I4(&five) = 5;
  check("put to a read-only property = DISP_E_MEMBERNOTFOUND", put(d, L"LastStatus", five) == DISP_E_MEMBERNOTFOUND, put(d, L"LastStatus", five));
  a[3] = bstr("x");
  hr = call(d, L"MeetingLivestreamGet", a + 3, 1, &s);
  check("an API-level failure is S_OK with a status (INVALID_ARGUMENT)", hr == S_OK && s == 2, hr);
  for (int i = 0; i < 4; i++) VariantClear(&a[i]);

  /* One object, four threads at once. */
  shared = d;
  HANDLE threads[4];
  for (int i = 0; i < 4; i++) threads[i] = CreateThread(NULL, 0, worker, NULL, 0, NULL);
  WaitForMultipleObjects(4, threads, TRUE, 60000);
  for (int i = 0; i < 4; i++) CloseHandle(threads[i]);
  check("4 threads x 20 calls on one object", thread_failures == 0, thread_failures);

  /* DllCanUnloadNow: S_FALSE while an object lives, S_OK once it is released. */
  HMODULE dll = GetModuleHandleA("zoomlive.dll");
  HRESULT(WINAPI * can_unload)(void) = dll ? (HRESULT(WINAPI *)(void))(void *)GetProcAddress(dll, "DllCanUnloadNow") : NULL;
  check("zoomlive.dll is loaded in-process, DllCanUnloadNow exported", can_unload != NULL, 0);
  if (can_unload) check("DllCanUnloadNow = S_FALSE while an object lives", can_unload() == S_FALSE, can_unload());
  IDispatch_Release(d);
  if (can_unload) check("DllCanUnloadNow = S_OK after the last Release", can_unload() == S_OK, can_unload());

done:
  CoUninitialize();
  printf("com-dispatch-%s: %d passed, %d failed\n", label, passed, failed);
  return failed != 0;
}
