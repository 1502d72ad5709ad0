#include "net_namespace.hpp"

#include <cstring>

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "file_descriptor.hpp"

namespace autograder::sandbox {

std::string bring_up_loopback() {
    FileDescriptor sock(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!sock) return errno_message("socket for loopback");
    ifreq request{};
    std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
    if (::ioctl(sock.get(), SIOCGIFFLAGS, &request) != 0) return errno_message("SIOCGIFFLAGS lo");
    request.ifr_flags = static_cast<short>(request.ifr_flags | IFF_UP | IFF_RUNNING);
    if (::ioctl(sock.get(), SIOCSIFFLAGS, &request) != 0) return errno_message("SIOCSIFFLAGS lo");
    return {};
}

}  // namespace autograder::sandbox
