// Tries to reach the outside. Usage: threat_net MODE ARGS...   One line per attempt:
// "MODE: connected" / "MODE: sent" / "MODE: resolved ..." on success, "MODE: errno N" on failure.
//   tcp ADDRESS PORT      TCP connect (IPv4 or IPv6 literal)
//   udp ADDRESS PORT      send a UDP datagram, then connect+send
//   dns NAME              getaddrinfo
//   raw                   socket(AF_INET, SOCK_RAW, ICMP)
//   packet                socket(AF_PACKET, SOCK_RAW)
//   vsock CID PORT        socket(AF_VSOCK) and connect
//   abstract NAME         connect to the abstract unix socket "\0NAME"
//   unix PATH             connect to the unix socket at PATH
//   interfaces            list the network interfaces that are up
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/if_ether.h>
#include <linux/vm_sockets.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void report(const char* mode, int rc, const char* ok) {
    if (rc == 0)
        printf("%s: %s\n", mode, ok);
    else
        printf("%s: errno %d\n", mode, errno);
    fflush(stdout);
}

static int address(const char* text, int port, struct sockaddr_storage* out, socklen_t* len) {
    memset(out, 0, sizeof *out);
    struct sockaddr_in* v4 = (struct sockaddr_in*)out;
    struct sockaddr_in6* v6 = (struct sockaddr_in6*)out;
    if (inet_pton(AF_INET, text, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        *len = sizeof *v4;
        return AF_INET;
    }
    if (inet_pton(AF_INET6, text, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        *len = sizeof *v6;
        return AF_INET6;
    }
    return -1;
}

int main(int argc, char** argv) {
    const char* mode = argc > 1 ? argv[1] : "";
    errno = 0;
    if (!strcmp(mode, "tcp") || !strcmp(mode, "udp")) {
        struct sockaddr_storage a;
        socklen_t len;
        int family = address(argv[2], atoi(argv[3]), &a, &len);
        int tcp = !strcmp(mode, "tcp");
        int s = socket(family, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
        if (s < 0) {
            report(mode, -1, "");
            return 0;
        }
        if (tcp) {
            report(mode, connect(s, (struct sockaddr*)&a, len), "connected");
            return 0;
        }
        int rc = sendto(s, "threat", 6, 0, (struct sockaddr*)&a, len) == 6 ? 0 : -1;
        report("udp sendto", rc, "sent");
        rc = connect(s, (struct sockaddr*)&a, len);
        if (rc == 0) rc = send(s, "threat", 6, 0) == 6 ? 0 : -1;
        report("udp connect", rc, "sent");
    } else if (!strcmp(mode, "dns")) {
        struct addrinfo* res = NULL;
        int rc = getaddrinfo(argv[2], "80", NULL, &res);
        if (rc == 0) {
            char text[64] = "?";
            getnameinfo(res->ai_addr, res->ai_addrlen, text, sizeof text, NULL, 0, NI_NUMERICHOST);
            printf("dns: resolved %s\n", text);
        } else {
            printf("dns: failed %d (%s)\n", rc, gai_strerror(rc));
        }
    } else if (!strcmp(mode, "raw")) {
        report(mode, socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) >= 0 ? 0 : -1, "opened");
    } else if (!strcmp(mode, "packet")) {
        report(mode, socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)) >= 0 ? 0 : -1, "opened");
    } else if (!strcmp(mode, "vsock")) {
        int s = socket(AF_VSOCK, SOCK_STREAM, 0);
        report("vsock socket", s >= 0 ? 0 : -1, "opened");
        if (s >= 0) {
            struct sockaddr_vm a = {.svm_family = AF_VSOCK, .svm_cid = atoi(argv[2]), .svm_port = atoi(argv[3])};
            report("vsock connect", connect(s, (struct sockaddr*)&a, sizeof a), "connected");
        }
    } else if (!strcmp(mode, "abstract") || !strcmp(mode, "unix")) {
        int s = socket(AF_UNIX, SOCK_STREAM, 0);
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        socklen_t len;
        if (!strcmp(mode, "abstract")) {
            size_t n = strlen(argv[2]);
            memcpy(a.sun_path + 1, argv[2], n);
            len = offsetof(struct sockaddr_un, sun_path) + 1 + n;
        } else {
            snprintf(a.sun_path, sizeof a.sun_path, "%s", argv[2]);
            len = sizeof a;
        }
        report(mode, connect(s, (struct sockaddr*)&a, len), "connected");
    } else if (!strcmp(mode, "interfaces")) {
        struct ifaddrs* list = NULL;
        if (getifaddrs(&list) != 0) {
            report(mode, -1, "");
            return 0;
        }
        for (struct ifaddrs* i = list; i; i = i->ifa_next)
            if (i->ifa_addr && (i->ifa_flags & IFF_UP)) printf("interface up: %s\n", i->ifa_name);
        printf("interfaces: done\n");
    } else {
        return 2;
    }
    return 0;
}
