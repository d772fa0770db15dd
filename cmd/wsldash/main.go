// Command wsldash is a terminal dashboard for WSL2.
package main

import "fmt"

func main() { fmt.Println("wsldash: under construction") }
