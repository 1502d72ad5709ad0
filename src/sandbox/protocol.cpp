#include "protocol.hpp"

#include <cerrno>
#include <cstring>

#include <sys/socket.h>
#include <unistd.h>

namespace autograder::sandbox {

namespace {

bool send_parts(int socket, iovec* parts, size_t part_count, const int* fds, int fd_count) {
    if (fd_count > kMaxPassedFds || fd_count < 0) {
        errno = E2BIG;
        return false;
    }
    msghdr message{};
    message.msg_iov = parts;
    message.msg_iovlen = part_count;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxPassedFds)] = {};
    if (fd_count > 0) {
        message.msg_control = control;
        message.msg_controllen = CMSG_SPACE(sizeof(int) * static_cast<size_t>(fd_count));
        cmsghdr* cmsg = CMSG_FIRSTHDR(&message);
        cmsg->cmsg_level = SOL_SOCKET;
        cmsg->cmsg_type = SCM_RIGHTS;
        cmsg->cmsg_len = CMSG_LEN(sizeof(int) * static_cast<size_t>(fd_count));
        std::memcpy(CMSG_DATA(cmsg), fds, sizeof(int) * static_cast<size_t>(fd_count));
    }
    for (;;) {
        ssize_t sent = ::sendmsg(socket, &message, MSG_NOSIGNAL);
        if (sent >= 0) return true;
        if (errno != EINTR) return false;
    }
}

}  // namespace

bool send_message(int socket, const MessageHeader& header, const char* payload, size_t length, const int* fds,
                  int fd_count) {
    if (length > kMaxMessageBytes) {
        errno = E2BIG;
        return false;
    }
    iovec parts[2] = {{const_cast<MessageHeader*>(&header), sizeof header}, {const_cast<char*>(payload), length}};
    return send_parts(socket, parts, length == 0 ? 1 : 2, fds, fd_count);
}

bool send_raw(int socket, const char* payload, size_t length, const int* fds, int fd_count) {
    if (length == 0 || length > kMaxMessageBytes) {
        errno = E2BIG;
        return false;
    }
    iovec part{const_cast<char*>(payload), length};
    return send_parts(socket, &part, 1, fds, fd_count);
}

long receive_message(int socket, MessageHeader& header, char* buffer, size_t capacity, size_t& length, int* fds,
                     int& fd_count) {
    length = 0;
    fd_count = 0;
    iovec parts[2] = {{&header, sizeof header}, {buffer, capacity}};
    msghdr message{};
    message.msg_iov = parts;
    message.msg_iovlen = 2;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxPassedFds)] = {};
    message.msg_control = control;
    message.msg_controllen = sizeof control;
    ssize_t received;
    do {
        received = ::recvmsg(socket, &message, MSG_CMSG_CLOEXEC);
    } while (received < 0 && errno == EINTR);
    for (cmsghdr* cmsg = CMSG_FIRSTHDR(&message); cmsg; cmsg = CMSG_NXTHDR(&message, cmsg)) {
        if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS) continue;
        size_t count = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < count; ++i) {
            int fd;
            std::memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int), sizeof fd);
            if (fds && fd_count < kMaxPassedFds)
                fds[fd_count++] = fd;
            else
                ::close(fd);
        }
    }
    if (received <= 0) return received;
    if (static_cast<size_t>(received) < sizeof header || (message.msg_flags & MSG_TRUNC)) {
        for (int i = 0; i < fd_count; ++i) ::close(fds[i]);
        fd_count = 0;
        errno = EPROTO;
        return -1;
    }
    length = static_cast<size_t>(received) - sizeof header;
    return static_cast<long>(length) + 1;
}

bool send_message(int socket, const MessageHeader& header, const std::string& payload, const int* fds, int fd_count) {
    return send_message(socket, header, payload.data(), payload.size(), fds, fd_count);
}

long receive_message(int socket, MessageHeader& header, std::string& payload) {
    payload.resize(kMaxMessageBytes);
    size_t length = 0;
    int fds[kMaxPassedFds];
    int fd_count = 0;
    long result = receive_message(socket, header, payload.data(), payload.size(), length, fds, fd_count);
    for (int i = 0; i < fd_count; ++i) ::close(fds[i]);
    payload.resize(length);
    return result;
}

void pack_strings(std::string& payload, const std::vector<std::string>& strings) {
    for (const auto& s : strings) {
        payload.append(s);
        payload.push_back('\0');
    }
}

bool unpack_strings(char* payload, size_t length, size_t& offset, size_t count, char** out) {
    for (size_t i = 0; i < count; ++i) {
        if (offset >= length) return false;
        auto* end = static_cast<char*>(std::memchr(payload + offset, '\0', length - offset));
        if (!end) return false;
        out[i] = payload + offset;
        offset = static_cast<size_t>(end - payload) + 1;
    }
    return true;
}

}  // namespace autograder::sandbox
