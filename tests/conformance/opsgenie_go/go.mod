module github.com/pulumi-schedules/conformance/opsgenie_go

go 1.24

require (
	github.com/opsgenie/opsgenie-go-sdk-v2 v1.2.23
	github.com/sirupsen/logrus v1.4.2
)

require (
	github.com/hashicorp/go-cleanhttp v0.5.0 // indirect
	github.com/hashicorp/go-retryablehttp v0.5.1 // indirect
	github.com/konsorten/go-windows-terminal-sequences v1.0.1 // indirect
	github.com/pkg/errors v0.8.1 // indirect
	golang.org/x/sys v0.0.0-20201119102817-f84b799fce68 // indirect
)
