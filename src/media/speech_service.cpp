#include <cassert>
#include <condition_variable>
#include <deque>
#include <list>
#include <map>
#include <mutex>
#include <thread>
#include <tuple>
#include <utility>

#include "callcenterd/media/speech.hpp"

namespace callcenterd::media {
namespace {

using cache_key = std::tuple<speech_language, std::string>;

// Orders keys by (language, text) and lets a lookup use a string_view without copying it.
struct key_less {
  using is_transparent = void;
  template <class A, class B>
  bool operator()(const A& a, const B& b) const {
    if (std::get<0>(a) != std::get<0>(b)) return std::get<0>(a) < std::get<0>(b);
    return std::string_view(std::get<1>(a)) < std::string_view(std::get<1>(b));
  }
};

struct cache_entry {
  cache_key key;
  std::shared_ptr<const prompt> audio;
};

struct request {
  std::string text;
  speech_language language;
  speech_service::render_handler done;
};

}  // namespace

struct speech_service::impl {
  impl(speech_synthesizer& s, const speech_settings& c) : synthesizer(s), settings(c) {}

  void worker_main();
  void serve(request& job);
  std::shared_ptr<const prompt> lookup(speech_language language, std::string_view text);
  void insert(speech_language language, std::string text, std::shared_ptr<const prompt> audio);

  speech_synthesizer& synthesizer;
  const speech_settings settings;
  speech_stats stats;

  std::mutex queue_mutex;
  std::condition_variable wake;
  std::deque<request> queue;
  bool stopping = false;

  // Most recently used first; the index points into the list.
  std::mutex cache_mutex;
  std::list<cache_entry> lru;
  std::map<cache_key, std::list<cache_entry>::iterator, key_less> index;
  std::size_t cached_samples = 0;

  std::mutex stop_mutex;  // a second stop() waits for the first one's join
  std::thread worker;
};

speech_service::speech_service(speech_synthesizer& synthesizer, const speech_settings& settings)
    : impl_(std::make_unique<impl>(synthesizer, settings)) {
  impl_->worker = std::thread([this] { impl_->worker_main(); });
}

speech_service::~speech_service() { stop(); }

void speech_service::stop() {
  std::lock_guard stop_lock(impl_->stop_mutex);
  assert(std::this_thread::get_id() != impl_->worker.get_id() && "stop() from inside done");
  {
    std::lock_guard lock(impl_->queue_mutex);
    impl_->stopping = true;
  }
  impl_->wake.notify_one();
  if (impl_->worker.joinable()) impl_->worker.join();
}

const speech_stats& speech_service::stats() const noexcept { return impl_->stats; }

const speech_settings& speech_service::settings() const noexcept { return impl_->settings; }

void speech_service::render(std::string text, speech_language language, render_handler done) {
  {
    std::lock_guard lock(impl_->queue_mutex);
    if (!impl_->stopping) {
      impl_->queue.push_back({std::move(text), language, std::move(done)});
      impl_->wake.notify_one();
      return;
    }
  }
  done(make_error_code(speech_errc::stopped));
}

std::shared_ptr<const prompt> speech_service::cached(std::string_view text,
                                                     speech_language language) const {
  auto audio = impl_->lookup(language, text);
  if (audio != nullptr) impl_->stats.cache_hits.fetch_add(1);
  return audio;
}

void speech_service::impl::worker_main() {
  for (;;) {
    request job;
    {
      std::unique_lock lock(queue_mutex);
      wake.wait(lock, [this] { return stopping || !queue.empty(); });
      if (queue.empty()) return;  // stopping, and every queued request has been answered
      job = std::move(queue.front());
      queue.pop_front();
    }
    serve(job);
  }
}

void speech_service::impl::serve(request& job) {
  bool stopped = false;
  {
    std::lock_guard lock(queue_mutex);
    stopped = stopping;
  }
  if (stopped) {
    job.done(make_error_code(speech_errc::stopped));
    return;
  }
  // Looked up here rather than in render(): an earlier request for the same text may have
  // been rendered while this one waited in the queue.
  if (auto audio = lookup(job.language, job.text)) {
    stats.cache_hits.fetch_add(1);
    job.done(std::move(audio));
    return;
  }
  stats.cache_misses.fetch_add(1);
  auto samples = synthesizer.blocking_render(job.text, job.language);
  if (!samples) {
    stats.renders_failed.fetch_add(1);
    job.done(samples.error());
    return;
  }
  auto audio = prompt::from_samples(std::move(*samples));
  insert(job.language, std::move(job.text), audio);
  job.done(std::move(audio));
}

std::shared_ptr<const prompt> speech_service::impl::lookup(speech_language language,
                                                           std::string_view text) {
  std::lock_guard lock(cache_mutex);
  const auto found = index.find(std::tuple<speech_language, std::string_view>(language, text));
  if (found == index.end()) return nullptr;
  lru.splice(lru.begin(), lru, found->second);  // iterators stay valid
  return found->second->audio;
}

void speech_service::impl::insert(speech_language language, std::string text,
                                  std::shared_ptr<const prompt> audio) {
  const std::size_t size = audio->samples();
  if (size > settings.cache_max_samples) return;  // would push out everything and still not fit
  std::lock_guard lock(cache_mutex);
  cache_key key(language, std::move(text));
  assert(!index.contains(key) && "only the worker inserts, and it looked first");
  while (!lru.empty() && cached_samples + size > settings.cache_max_samples) {
    const auto& oldest = lru.back();
    cached_samples -= oldest.audio->samples();
    index.erase(oldest.key);
    lru.pop_back();
  }
  lru.push_front({key, std::move(audio)});
  index.emplace(std::move(key), lru.begin());
  cached_samples += size;
  stats.cached_samples.store(cached_samples);
  stats.cached_prompts.store(lru.size());
}

}  // namespace callcenterd::media
