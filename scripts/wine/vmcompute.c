/* A stand-in vmcompute.dll for the Windows test stage under Wine (which has no HCS): it serves
 * the calls hcsshim v0.15.0's internal/vmcompute makes for enumerate, open, properties and close
 * from a line file named by %WSLDASH_HCS_STANDIN%:
 *
 *   enum denied                         HcsEnumerateComputeSystems fails with HCS_E_ACCESS_DENIED
 *   vm ID OWNER TYPE STATE COMMIT CPU100NS MODE
 *
 * CPU100NS "busyN" is a counter that grows as if N virtual processors were always busy since
 * 1601, stamped (Timestamp) with the same clock, so any two samples see N processors' worth of CPU.
 * MODE: ok; denied (open fails with HCS_E_ACCESS_DENIED); gone (open fails with
 * HCS_E_SYSTEM_NOT_FOUND: the VM stopped between enumerate and open); statsfail (the statistics
 * query fails with E_FAIL).
 *
 * Conventions (hcsshim internal/vmcompute zsyscall_windows.go, vmcompute.go): every call returns
 * an HRESULT (negative = failure; facility-7 ones are turned into Win32 errnos by hcsshim); the
 * JSON results and the optional result document are UTF-16 strings the caller frees with
 * CoTaskMemFree, so they are allocated with CoTaskMemAlloc; the result document may be NULL.
 * Handles are opaque: here the VM's line number + 1.
 * Build: x86_64-w64-mingw32-gcc -O2 -ffreestanding -fno-builtin -fno-tree-loop-distribute-patterns -shared -s -nostdlib -Wl,-e,DllMain -o vmcompute.dll
 *        vmcompute.c -lkernel32 -lole32
 */
#include <windows.h>
#include <objbase.h>

#define HCS_E_ACCESS_DENIED ((HRESULT)0x8037011BL)
#define HCS_E_SYSTEM_NOT_FOUND ((HRESULT)0xC037010EL)
#define MAXVM 16

typedef struct {
  char id[64], owner[64], type[64], state[32], commit[24], cpu[24], mode[16];
} vm_t;

static vm_t vms[MAXVM];
static int nvm, enum_denied;

static int ieq(const char *a, const char *b) {
  for (; *a && *b; a++, b++) {
    char x = *a, y = *b;
    if (x >= 'a' && x <= 'z') x -= 32;
    if (y >= 'a' && y <= 'z') y -= 32;
    if (x != y) return 0;
  }
  return *a == *b;
}
static int slen(const char *s) { int n = 0; while (s[n]) n++; return n; }

/* word copies the next blank-separated word of *p into dst (at most n-1 bytes). */
static void word(const char **p, char *dst, int n) {
  const char *s = *p;
  int i = 0;
  while (*s == ' ' || *s == '\t') s++;
  while (*s && *s != ' ' && *s != '\t' && *s != '\r' && *s != '\n') {
    if (i < n - 1) dst[i++] = *s;
    s++;
  }
  dst[i] = 0;
  *p = s;
}

static void load(void) {
  WCHAR path[MAX_PATH];
  static char buf[16384];
  DWORD got = 0;
  nvm = 0;
  enum_denied = 0;
  if (!GetEnvironmentVariableW(L"WSLDASH_HCS_STANDIN", path, MAX_PATH)) return;
  HANDLE f = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
  if (f == INVALID_HANDLE_VALUE) return;
  ReadFile(f, buf, sizeof buf - 1, &got, NULL);
  CloseHandle(f);
  buf[got] = 0;
  const char *p = buf;
  while (*p) {
    char kw[16];
    word(&p, kw, sizeof kw);
    if (ieq(kw, "enum")) {
      char v[16];
      word(&p, v, sizeof v);
      enum_denied = ieq(v, "denied");
    } else if (ieq(kw, "vm") && nvm < MAXVM) {
      vm_t *v = &vms[nvm++];
      word(&p, v->id, sizeof v->id);
      word(&p, v->owner, sizeof v->owner);
      word(&p, v->type, sizeof v->type);
      word(&p, v->state, sizeof v->state);
      word(&p, v->commit, sizeof v->commit);
      word(&p, v->cpu, sizeof v->cpu);
      word(&p, v->mode, sizeof v->mode);
    }
    while (*p && *p != '\n') p++;
    if (*p) p++;
  }
}

/* out: a growing ASCII JSON document. */
static char out[8192];
static int outn;
static void put(const char *s) { while (*s && outn < (int)sizeof out - 1) out[outn++] = *s++; out[outn] = 0; }

/* wide returns a CoTaskMemAlloc'd UTF-16 copy of out (ASCII only). */
static LPWSTR wide(void) {
  LPWSTR w = CoTaskMemAlloc((outn + 1) * sizeof(WCHAR));
  if (!w) return NULL;
  for (int i = 0; i <= outn; i++) w[i] = (WCHAR)(unsigned char)out[i];
  return w;
}

/* contains reports whether the UTF-16 q holds the ASCII s. */
static int contains(LPCWSTR q, const char *s) {
  int n = slen(s);
  for (; q && *q; q++) {
    int i = 0;
    while (i < n && q[i] && q[i] == (WCHAR)s[i]) i++;
    if (i == n) return 1;
  }
  return 0;
}

static void putu(unsigned long long n) {
  char b[24];
  int i = 23;
  b[i] = 0;
  do { b[--i] = (char)('0' + n % 10); n /= 10; } while (n);
  put(b + i);
}

static void put2(unsigned n, int width) {
  char b[8];
  b[width] = 0;
  for (int i = width - 1; i >= 0; i--) { b[i] = (char)('0' + n % 10); n /= 10; }
  put(b);
}

/* putnow writes the RFC 3339 UTC time now and returns it as 100 ns units since 1601. */
static unsigned long long putnow(void) {
  FILETIME ft;
  SYSTEMTIME st;
  GetSystemTimeAsFileTime(&ft);
  unsigned long long t = ((unsigned long long)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
  FileTimeToSystemTime(&ft, &st);
  put2(st.wYear, 4); put("-"); put2(st.wMonth, 2); put("-"); put2(st.wDay, 2); put("T");
  put2(st.wHour, 2); put(":"); put2(st.wMinute, 2); put(":"); put2(st.wSecond, 2); put(".");
  put2((unsigned)(t % 10000000ULL), 7); put("Z");
  return t;
}

static void props(const vm_t *v, int stats) {
  put("{\"Id\":\""); put(v->id); put("\",\"SystemType\":\""); put(v->type);
  put("\",\"Owner\":\""); put(v->owner); put("\",\"State\":\""); put(v->state); put("\"");
  if (stats) {
    put(",\"Statistics\":{\"Timestamp\":\"");
    if (v->cpu[0] == 'b') { /* busyN */
      unsigned long long t = putnow();
      put("\",\"Processor\":{\"TotalRuntime100ns\":");
      putu(t * (unsigned long long)(v->cpu[4] - '0'));
    } else {
      put("2026-12-01T10:00:00Z\",\"Processor\":{\"TotalRuntime100ns\":");
      put(v->cpu);
    }
    put("},\"Memory\":{\"MemoryUsageCommitBytes\":");
    put(v->commit);
    put("}}");
  }
  put("}");
}

/* matches: a query's Owners/Types lists, when present, name the VM's owner/type. */
static int matches(LPCWSTR q, const vm_t *v) {
  char want[80];
  if (contains(q, "\"Owners\"")) {
    outn = 0; put("\""); put(v->owner); put("\"");
    for (int i = 0; i <= outn; i++) want[i] = out[i];
    if (!contains(q, want)) return 0;
  }
  if (contains(q, "\"Types\"")) {
    outn = 0; put("\""); put(v->type); put("\"");
    for (int i = 0; i <= outn; i++) want[i] = out[i];
    if (!contains(q, want)) return 0;
  }
  return 1;
}

__declspec(dllexport) HRESULT WINAPI HcsEnumerateComputeSystems(LPCWSTR query, LPWSTR *systems, LPWSTR *result) {
  load();
  if (result) *result = NULL;
  if (enum_denied) return HCS_E_ACCESS_DENIED;
  static char sel[MAXVM];
  for (int i = 0; i < nvm; i++) sel[i] = (char)matches(query, &vms[i]);
  outn = 0;
  put("[");
  int first = 1;
  for (int i = 0; i < nvm; i++) {
    if (!sel[i]) continue;
    if (!first) put(",");
    first = 0;
    props(&vms[i], 0);
  }
  put("]");
  *systems = wide();
  return *systems ? S_OK : E_OUTOFMEMORY;
}

__declspec(dllexport) HRESULT WINAPI HcsOpenComputeSystem(LPCWSTR id, HANDLE *system, LPWSTR *result) {
  load();
  if (result) *result = NULL;
  char a[64];
  int i = 0;
  for (; id[i] && i < 63; i++) a[i] = (char)id[i];
  a[i] = 0;
  for (int k = 0; k < nvm; k++) {
    if (!ieq(a, vms[k].id)) continue;
    if (ieq(vms[k].mode, "denied")) return HCS_E_ACCESS_DENIED;
    if (ieq(vms[k].mode, "gone")) return HCS_E_SYSTEM_NOT_FOUND;
    *system = (HANDLE)(ULONG_PTR)(k + 1);
    return S_OK;
  }
  return HCS_E_SYSTEM_NOT_FOUND;
}

__declspec(dllexport) HRESULT WINAPI HcsGetComputeSystemProperties(HANDLE system, LPCWSTR query, LPWSTR *properties, LPWSTR *result) {
  ULONG_PTR k = (ULONG_PTR)system;
  if (result) *result = NULL;
  if (k < 1 || k > (ULONG_PTR)nvm) return HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE);
  const vm_t *v = &vms[k - 1];
  int stats = contains(query, "Statistics");
  if (stats && ieq(v->mode, "statsfail")) return E_FAIL;
  outn = 0;
  props(v, stats);
  *properties = wide();
  return *properties ? S_OK : E_OUTOFMEMORY;
}

/* OpenComputeSystem registers a notification callback; nothing is ever notified here. */
__declspec(dllexport) HRESULT WINAPI HcsRegisterComputeSystemCallback(HANDLE system, void *callback, void *context, HANDLE *cb) {
  (void)callback; (void)context;
  *cb = system;
  return S_OK;
}
__declspec(dllexport) HRESULT WINAPI HcsUnregisterComputeSystemCallback(HANDLE cb) { (void)cb; return S_OK; }
__declspec(dllexport) HRESULT WINAPI HcsCloseComputeSystem(HANDLE system) { (void)system; return S_OK; }

BOOL WINAPI DllMain(HINSTANCE h, DWORD reason, LPVOID r) { (void)h; (void)reason; (void)r; return TRUE; }
