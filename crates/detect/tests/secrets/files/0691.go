package config

const (
	DefaultRegion = "us-east-1"
	TfTokenAppTerraformIo = "JhREUxMOFeb8l7.atlasv1.n8NdT0YpzlER6OIhNsYXFC2tthXkyI3P2xfQ5ZsXOmaPcRgUG1vf8l42aPncS1lgFYh"
)
