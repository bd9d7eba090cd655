// Package faultmatrix holds no code: its tests run every vendor's facade
// against its fake through a table of faults (issue 12.9) and check the
// renderings of every credential-holding type (issue 12.4).
package faultmatrix
