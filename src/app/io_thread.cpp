#include "io_thread.hpp"

#include <thread>

namespace callcenterd::app {

void run_io_thread(boost::asio::io_context& io, std::chrono::microseconds coalesce) {
  if (coalesce <= std::chrono::microseconds::zero()) {
    io.run();
    return;
  }
  while (!io.stopped()) {
    // poll() handles what is ready now, including one look at the sockets; nothing ready
    // means the loop is quiet, and run_one() blocks until the next event rather than waking
    // every interval for nothing.
    if (io.poll() == 0) {
      io.run_one();
    } else {
      std::this_thread::sleep_for(coalesce);
    }
  }
}

}  // namespace callcenterd::app
