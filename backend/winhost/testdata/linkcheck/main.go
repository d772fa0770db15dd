// Command linkcheck exists only so link_test.go can cross-build a Windows binary that uses
// winhost and check, with go tool nm, that hcsshim really is linked in.
package main

import (
	"context"
	"fmt"

	"github.com/wsldash/wsldash/backend/winhost"
)

func main() {
	h := winhost.NewHost()
	defer h.Close()
	hv, err := h.Sample(context.Background())
	fmt.Println(hv, err)
}
