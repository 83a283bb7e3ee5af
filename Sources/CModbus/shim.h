#ifndef CAMPUSGUARD_CMODBUS_SHIM_H
#define CAMPUSGUARD_CMODBUS_SHIM_H

#include <errno.h>
#include <modbus/modbus.h>

// The libmodbus error codes are macros of an expression, which Swift does not import.
static inline int campusguard_modbus_exception_base(void) { return MODBUS_ENOBASE; }
static inline int campusguard_modbus_bad_slave(void) { return EMBBADSLAVE; }
static inline int campusguard_modbus_max_error(void) { return EMBBADSLAVE; }

#endif
