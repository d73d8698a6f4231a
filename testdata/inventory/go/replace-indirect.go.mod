module example.com/app

go 1.19

require (
	example.com/x v1.0.0
	example.com/y v1.3.0
	example.com/z v0.2.0 // indirect
	example.com/w v0.9.0
)

// Only for x v0.0.1; x is required at v1.0.0, so this does not apply.
replace example.com/x v0.0.1 => ./local

replace example.com/y v1.3.0 => example.com/y v1.3.1

replace example.com/w => ./local
