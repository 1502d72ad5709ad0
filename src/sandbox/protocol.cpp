#include "protocol.hpp"

#include <cerrno>
#include <cstring>

#include <sys/socket.h>
#include <unistd.h>

namespace autograder::sandbox {

bool send_message(int socket, const MessageHeader& header, const std::string& payload,
                  const int* fds, int fd_count) {
    if (payload.size() > kMaxMessageBytes || fd_count > kMaxPassedFds) {
        errno = E2BIG;
        return false;
    }
    iovec parts[2] = {{const_cast<MessageHeader*>(&header), sizeof header},
                      {const_cast<char*>(payload.data()), payload.size()}};
    msghdr message{};
    message.msg_iov = parts;
    message.msg_iovlen = payload.empty() ? 1 : 2;
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

long receive_message(int socket, MessageHeader& header, std::string& payload,
                     std::vector<int>* fds) {
    payload.resize(kMaxMessageBytes);
    iovec parts[2] = {{&header, sizeof header}, {payload.data(), payload.size()}};
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
            if (fds)
                fds->push_back(fd);
            else
                ::close(fd);
        }
    }
    if (received <= 0) {
        payload.clear();
        return received;
    }
    if (static_cast<size_t>(received) < sizeof header) {
        errno = EPROTO;
        payload.clear();
        return -1;
    }
    payload.resize(static_cast<size_t>(received) - sizeof header);
    return static_cast<long>(payload.size()) + 1;  // > 0 even for an empty payload
}

void pack_strings(std::string& payload, const std::vector<std::string>& strings) {
    for (const auto& s : strings) {
        payload.append(s);
        payload.push_back('\0');
    }
}

std::vector<std::string> unpack_strings(const std::string& payload, size_t& offset, size_t count) {
    std::vector<std::string> strings;
    for (size_t i = 0; i < count && offset < payload.size(); ++i) {
        size_t end = payload.find('\0', offset);
        if (end == std::string::npos) end = payload.size();
        strings.emplace_back(payload, offset, end - offset);
        offset = end + 1;
    }
    return strings;
}

}  // namespace autograder::sandbox
