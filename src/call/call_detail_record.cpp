#include "callcenterd/call/call_detail_record.hpp"

namespace callcenterd::call {

std::string_view to_string(call_segment::kind what) {
  switch (what) {
    case call_segment::kind::ivr:
      return "ivr";
    case call_segment::kind::queue:
      return "queue";
    case call_segment::kind::ring:
      return "ring";
    case call_segment::kind::talk:
      return "talk";
    case call_segment::kind::hold:
      return "hold";
    case call_segment::kind::transfer:
      return "transfer";
  }
  return "ivr";
}

std::string_view to_string(call_disposition disposition) {
  switch (disposition) {
    case call_disposition::connected:
      return "connected";
    case call_disposition::abandoned:
      return "abandoned";
    case call_disposition::self_service:
      return "self_service";
    case call_disposition::refused:
      return "refused";
    case call_disposition::callback:
      return "callback";
  }
  return "refused";
}

}  // namespace callcenterd::call
