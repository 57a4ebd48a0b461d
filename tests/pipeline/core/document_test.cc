#include "pipeline/core/document.h"

#include <gtest/gtest.h>

namespace sohoa {
namespace {

// What the graph frees once the archive step is done with a document: the
// run keeps every Document to its end, so whatever stays allocated here
// grows with the batch (issue 24: the JPEG bytes did, 100 MB over 424).
TEST(DocumentTest, ReleasingPageContentFreesItsStorageAndKeepsTheAccount) {
  Document doc;
  doc.sha256 = "ab";
  doc.outcome = Outcome::kArchived;
  doc.pages.resize(2);
  for (Page& page : doc.pages) {
    page.source_jpeg.assign(1 << 20, 'j');
    page.image.data.assign(1 << 19, 1);
    page.ocr.lines.resize(3);
    page.ocr.lines[0].words.push_back(OcrWord{});
    page.review_reasons.push_back("a reason");
  }
  doc.ReleasePageContent();
  ASSERT_EQ(doc.page_count(), 2);
  for (const Page& page : doc.pages) {
    EXPECT_LT(page.source_jpeg.capacity(), 1024u);
    EXPECT_EQ(page.image.data.capacity(), 0u);
    EXPECT_TRUE(page.ocr.lines.empty());
    EXPECT_EQ(page.review_reasons.size(), 1u);  // what a person is told stays
  }
  EXPECT_EQ(doc.sha256, "ab");
  EXPECT_EQ(doc.outcome, Outcome::kArchived);
}

}  // namespace
}  // namespace sohoa
