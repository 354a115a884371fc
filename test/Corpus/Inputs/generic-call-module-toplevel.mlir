"fx.call_module"() : () -> ()
