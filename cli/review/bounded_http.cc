#include "cli/review/bounded_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace sohoa::cli {
namespace {

using Clock = std::chrono::steady_clock;
// Waits are sliced so a stopping server is noticed quickly.
constexpr int kPollSliceMs = 200;

void AddressOf(const sockaddr_storage& addr, std::string* ip, int* port) {
  char text[INET6_ADDRSTRLEN] = "";
  if (addr.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&addr);
    inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
    *port = ntohs(in->sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&addr);
    inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
    *port = ntohs(in6->sin6_port);
  }
  *ip = text;
}

// One client connection: the httplib::Stream every request of it is read
// from and answered on, with the deadlines and budgets of HttpLimits.
class Connection final : public httplib::Stream {
 public:
  Connection(int fd, const HttpLimits& limits, const std::atomic<socket_t>& listening)
      : fd_(fd), limits_(limits), listening_(listening) {}

  // Waits up to `seconds` for the next request's first byte.
  bool WaitForRequest(int seconds) {
    if (buffered_ > 0) return true;
    deadline_ = Clock::now() + std::chrono::seconds(seconds);
    const bool ready = Wait(POLLIN);
    refusal_ = Refusal::kNone;  // an idle connection just ends: nothing to answer
    return ready;
  }
  void StartRequest() {
    start_ = Clock::now();
    headers_read_ = false;
    request_bytes_ = 0;
    deadline_ = start_ + std::chrono::seconds(limits_.header_seconds);
  }
  void HeadersRead() {
    headers_read_ = true;
    request_bytes_ = 0;
    deadline_ = start_ + std::chrono::seconds(limits_.request_seconds);
  }
  Refusal refusal() const { return refusal_; }

  bool is_readable() const override { return buffered_ > 0 || Wait(POLLIN); }
  bool is_writable() const override { return Wait(POLLOUT); }

  ssize_t read(char* ptr, size_t size) override {
    if (buffered_ == 0) {
      const size_t budget = headers_read_ ? 2 * limits_.max_body_bytes : limits_.max_header_bytes;
      if (request_bytes_ >= budget) {
        refusal_ = Refusal::kTooLarge;
        return -1;
      }
      if (!Wait(POLLIN)) return -1;
      const ssize_t n = ::recv(fd_, buffer_, std::min(sizeof buffer_, budget - request_bytes_), 0);
      if (n <= 0) return n;
      request_bytes_ += static_cast<size_t>(n);
      offset_ = 0;
      buffered_ = static_cast<size_t>(n);
    }
    const size_t n = std::min(size, buffered_);
    std::memcpy(ptr, buffer_ + offset_, n);
    offset_ += n;
    buffered_ -= n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    while (Wait(POLLOUT)) {
      const ssize_t n = ::send(fd_, ptr, size, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) return n;
    }
    return -1;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (getpeername(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) AddressOf(addr, &ip, &port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) AddressOf(addr, &ip, &port);
  }
  socket_t socket() const override { return fd_; }

 private:
  // Until the current deadline (never re-armed by a byte) or a stop.
  bool Wait(short events) const {
    while (listening_ != INVALID_SOCKET) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now()).count();
      if (left <= 0) {
        refusal_ = Refusal::kTooSlow;
        return false;
      }
      pollfd p{fd_, events, 0};
      const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, kPollSliceMs)));
      if (ready > 0) return (p.revents & (events | POLLHUP)) != 0 && (p.revents & POLLNVAL) == 0;
      if (ready < 0 && errno != EINTR) return false;
    }
    return false;
  }

  const int fd_;
  const HttpLimits& limits_;
  const std::atomic<socket_t>& listening_;
  Clock::time_point start_{}, deadline_{};
  bool headers_read_ = false;
  size_t request_bytes_ = 0;
  mutable Refusal refusal_ = Refusal::kNone;
  char buffer_[4096];
  size_t offset_ = 0, buffered_ = 0;
};

thread_local Connection* current_connection = nullptr;

}  // namespace

BoundedHttpServer::BoundedHttpServer(HttpLimits limits,
                                     std::function<void(const std::string&)> on_refused_connection)
    : limits_(limits), on_refused_connection_(std::move(on_refused_connection)) {
  const size_t workers = static_cast<size_t>(std::max(1, limits_.workers));
  new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  set_payload_max_length(limits_.max_body_bytes);  // a Content-Length above: 413 before reading
  set_keep_alive_max_count(static_cast<size_t>(limits_.requests_per_connection));
  set_keep_alive_timeout(limits_.idle_seconds);
}

void BoundedHttpServer::WidenBacklog() {
  if (svr_sock_ != INVALID_SOCKET) ::listen(svr_sock_, SOMAXCONN);  // Linux: re-listen sets the backlog
}

void BoundedHttpServer::HeadersRead() {
  if (current_connection != nullptr) current_connection->HeadersRead();
}

Refusal BoundedHttpServer::CurrentRefusal() {
  return current_connection == nullptr ? Refusal::kNone : current_connection->refusal();
}

bool BoundedHttpServer::Admit(const std::string& address) {
  std::lock_guard<std::mutex> lock(mutex_);
  int& open = connections_[address];
  if (open >= limits_.connections_per_address) {
    if (open == 0) connections_.erase(address);
    return false;
  }
  ++open;
  return true;
}

void BoundedHttpServer::Release(const std::string& address) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = connections_.find(address);
  if (it != connections_.end() && --it->second <= 0) connections_.erase(it);
}

bool BoundedHttpServer::process_and_close_socket(socket_t sock) {
  Connection connection(sock, limits_, svr_sock_);
  std::string address;
  int port = 0;
  connection.get_remote_ip_and_port(address, port);
  bool ok = false;
  if (!Admit(address)) {
    const std::string body = R"({"error":"too many connections from your address","code":"busy"})";
    const std::string answer =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
        "Connection: close\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body;
    (void)::send(sock, answer.data(), answer.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (on_refused_connection_) on_refused_connection_(address);
  } else {
    current_connection = &connection;
    for (int n = 0; n < limits_.requests_per_connection; ++n) {
      if (!connection.WaitForRequest(limits_.idle_seconds)) break;
      connection.StartRequest();
      bool closed = false;
      ok = process_request(connection, n + 1 == limits_.requests_per_connection, closed, nullptr);
      if (!ok || closed || connection.refusal() != Refusal::kNone) break;
    }
    current_connection = nullptr;
    Release(address);
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

}  // namespace sohoa::cli
