"""Texts several evaluators share: why a device's data is missing and what would resolve it."""

from __future__ import annotations

from agent.model import Device, Text
from assessment.text import T, label

NONE_FOUND = T(
    "Kiểm tra dải mạng quét ([scan] subnets) và thông tin SNMP ([[snmp.credentials]]); bật SNMP v2c/v3 "
    "chỉ đọc trên thiết bị rồi chạy lại `schoolnet audit`.",
    "Check the scanned subnets ([scan] subnets) and the SNMP credentials ([[snmp.credentials]]); enable "
    "read-only SNMP v2c/v3 on the device and run `schoolnet audit` again.",
)


def snmp_unknown(device: Device, missing: Text) -> tuple[Text, Text]:
    """(why ``missing`` is unknown, what would resolve it), from the device's SNMP status."""
    ip = device.ip
    status = device.snmp_status
    if status == "timeout":
        return (
            T(f"Hỏi SNMP {label(device)} bị quá thời gian nên không đọc được {missing.vi}.",
              f"SNMP requests to {label(device)} timed out, so its {missing.en} could not be read."),
            T(f"Tăng [scan] snmp_timeout_s / device_budget_s rồi chạy lại, hoặc kiểm tra {ip} có quá tải không.",
              f"Raise [scan] snmp_timeout_s / device_budget_s and run again, or check whether {ip} is overloaded."),
        )
    if status in ("not_tried", "no_response"):
        return (
            T(f"{label(device)} không trả lời SNMP nên không đọc được {missing.vi}.",
              f"{label(device)} did not answer SNMP, so its {missing.en} could not be read."),
            T(f"Bật SNMP v2c/v3 (chỉ đọc) trên {ip} và thêm thông tin đăng nhập vào [[snmp.credentials]].",
              f"Enable SNMP v2c/v3 (read-only) on {ip} and add the credential to [[snmp.credentials]]."),
        )
    if status == "auth_error":
        return (
            T(f"{label(device)} từ chối thông tin SNMP đã cấu hình.",
              f"{label(device)} rejected the configured SNMP credentials."),
            T(f"Kiểm tra community / người dùng SNMPv3 cho {ip} trong [[snmp.credentials]].",
              f"Check the community / SNMPv3 user for {ip} in [[snmp.credentials]]."),
        )
    model = device.model or device.sys_object_id or "?"
    return (
        T(f"{label(device)} trả lời SNMP nhưng không cho biết {missing.vi}, và mẫu {model} chưa có trong catalog.",
          f"{label(device)} answers SNMP but did not report its {missing.en}, and model {model} is not in the "
          "catalog."),
        T(f"Thêm mẫu {model} (kèm nguồn) vào config/catalog/, hoặc cấp quyền SNMP đọc IF-MIB/ENTITY-MIB cho {ip}.",
          f"Add model {model} (with a source) to config/catalog/, or give SNMP read access to IF-MIB/ENTITY-MIB "
          f"on {ip}."),
    )
