// A shared object that says so when it is loaded. Saved in a submission under a name that reads as
// a compiler option (a folder "-fplugin=." holding it as "x.c"), it shows whether a file name ever
// reached the compiler's command line as an option: gcc would dlopen it as a plugin.
#include <unistd.h>

__attribute__((constructor)) static void announce(void) {
    static const char kMarker[] = "threat_compiler_plugin: loaded into the compiler\n";
    (void)!write(2, kMarker, sizeof kMarker - 1);
}

int plugin_is_GPL_compatible;
