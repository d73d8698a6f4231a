package config

const (
	DefaultRegion = "us-east-1"
	TwinePassword = "pypi-AgEIcHlwaS5vcmc4h069F70mhbAA4vyVB1oH0mzAn1gBvktPifSyg05uzJXnf1AD0cBZ3DQ9ZElJX0KICGmLBLdp0v1naqm7uWQkP-xmxMnQAcp3A_GiWOEFrj5g0nweITOEVLCcdCg9TG0OCKp5v7hXbU4C9JRIgQ4iGLZBStloKHG"
)
