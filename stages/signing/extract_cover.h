// The certified cover of a citizen's extract (issue 22, part 3;
// pipeline/report/extract.h): a one-page PDF/A (the archive's part, sRGB
// output intent, DejaVu Sans embedded, XMP and Info agreeing) stating who
// issued the copy, when, for what purpose, the record's type, number, book
// and registration date, the original's file name and SHA-256, signed by the
// organisation's key as the review station signs (SignAsOrganisation,
// pdf_revision.h: its PAdES level, with a TSA the time-stamps and validation
// data). The original is never touched: the cover is a file of its own, so
// the original's signatures and the cover's are checked each on its own
// (pdfsig), and the cover binds the original by its hash.
//
// Errors: kConfiguration when the font cannot be loaded; the signer's
// errors (a TSA that cannot be reached refuses the cover); kInternal for
// PoDoFo failures.
#pragma once

#include <memory>

#include "pipeline/report/extract.h"
#include "stages/signing/pdf_revision.h"

namespace sohoa {

StatusOr<std::string> MakeExtractCover(const CoverFacts& facts, const ReviewSigner& signer);

// facts.issued_by is the signer's name. Safe to call from several threads.
CoverMaker NewCoverMaker(std::shared_ptr<const ReviewSigner> signer);

}  // namespace sohoa
