package wslconfig

import (
	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/reclaim"
)

// DescribeReclaim says in one line what WSL does with the page cache in this mode, under the
// rule of the WSL version given ("" when unknown: the released rule, as reclaim.RuleFor says).
func DescribeReclaim(mode backend.ReclaimMode, wslVersion string) string {
	rule, _ := reclaim.RuleFor(wslVersion)
	return reclaim.Describe(rule, mode)
}
