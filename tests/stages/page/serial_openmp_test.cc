// The serial OpenMP runtime (stages/page/serial_openmp.h): this file is
// compiled with -fopenmp, so GCC turns the pragmas below into the same
// libgomp calls as libtesseract's, and the test executable carries the
// runtime as sohoa-engine does (tests/CMakeLists.txt).
#include "stages/page/serial_openmp.h"

#include <gtest/gtest.h>
#include <omp.h>
#include <tesseract/baseapi.h>

#include <dlfcn.h>
#include <cstdio>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace sohoa {
namespace {

TEST(SerialOpenMpTest, LibtesseractBindsToThisRuntime) {
  EXPECT_TRUE(SerialOpenMpInUse());
  // Linked, and loaded: the binding above is the one libtesseract gets.
  EXPECT_NE(tesseract::TessBaseAPI::Version(), nullptr);
}

// Every OpenMP entry point libtesseract imports is one this runtime
// defines: a Tesseract built with more (a dynamic schedule, a barrier)
// would mix this runtime with libgomp's, and must be looked at first.
TEST(SerialOpenMpTest, LibtesseractImportsNothingElseFromOpenMp) {
  Dl_info info{};
  ASSERT_NE(dladdr(reinterpret_cast<void*>(&tesseract::TessBaseAPI::Version), &info), 0);
  ASSERT_NE(info.dli_fname, nullptr);
  const std::string command = std::string("nm -D --undefined-only '") + info.dli_fname + "'";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::set<std::string> imported;
  char line[512];
  while (std::fgets(line, sizeof line, pipe) != nullptr) {
    std::istringstream in(line);
    std::string kind, symbol;
    in >> kind >> symbol;
    const std::string name = symbol.substr(0, symbol.find('@'));
    if (name.rfind("GOMP_", 0) == 0 || name.rfind("omp_", 0) == 0) imported.insert(name);
  }
  ASSERT_EQ(pclose(pipe), 0) << command;
  const std::set<std::string> defined = {"GOMP_parallel",       "GOMP_parallel_sections",
                                         "GOMP_sections_next",  "GOMP_sections_end_nowait",
                                         "omp_get_num_threads", "omp_get_thread_num"};
  EXPECT_FALSE(imported.empty()) << info.dli_fname << " imports no OpenMP: built without it?";
  for (const std::string& name : imported) EXPECT_TRUE(defined.count(name)) << name;
}

TEST(SerialOpenMpTest, ParallelForRunsEveryIterationOnceOnTheCallingThread) {
  std::vector<int> runs(37, 0);
  std::vector<int> teams, ids;
  const std::thread::id caller = std::this_thread::get_id();
  bool elsewhere = false;
#pragma omp parallel for num_threads(4)
  for (int i = 0; i < 37; ++i) {
    ++runs[i];
    if (std::this_thread::get_id() != caller) elsewhere = true;
    if (i == 0) {
      teams.push_back(omp_get_num_threads());
      ids.push_back(omp_get_thread_num());
    }
  }
  EXPECT_EQ(runs, std::vector<int>(37, 1));
  EXPECT_FALSE(elsewhere);
  EXPECT_EQ(teams, std::vector<int>{1});
  EXPECT_EQ(ids, std::vector<int>{0});
}

TEST(SerialOpenMpTest, ParallelSectionsRunEachSectionOnceInOrder) {
  std::vector<int> order;
#pragma omp parallel sections num_threads(3)
  {
#pragma omp section
    order.push_back(1);
#pragma omp section
    order.push_back(2);
#pragma omp section
    order.push_back(3);
  }
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

// A region inside a section counts its own sections and gives the outer
// region's back: the outer one's later sections still run.
TEST(SerialOpenMpTest, NestedSectionsKeepTheirOwnCount) {
  std::vector<std::string> order;
#pragma omp parallel sections
  {
#pragma omp section
    {
      order.push_back("a");
#pragma omp parallel sections
      {
#pragma omp section
        order.push_back("a1");
#pragma omp section
        order.push_back("a2");
      }
    }
#pragma omp section
    order.push_back("b");
  }
  EXPECT_EQ(order, (std::vector<std::string>{"a", "a1", "a2", "b"}));
}

// Each thread has its own sections: two threads in regions at once (two
// jobs' engines) each run all of theirs.
TEST(SerialOpenMpTest, ThreadsRunTheirRegionsIndependently) {
  auto work = [](std::vector<int>* out) {
    for (int round = 0; round < 2000; ++round) {
#pragma omp parallel sections
      {
#pragma omp section
        out->push_back(1);
#pragma omp section
        out->push_back(2);
      }
    }
  };
  std::vector<int> a, b;
  std::thread first(work, &a), second(work, &b);
  first.join();
  second.join();
  ASSERT_EQ(a.size(), 4000u);
  ASSERT_EQ(b.size(), 4000u);
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i], static_cast<int>(i % 2 + 1));
    EXPECT_EQ(b[i], static_cast<int>(i % 2 + 1));
  }
}

}  // namespace
}  // namespace sohoa
