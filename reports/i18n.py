"""Report wording in Vietnamese (default) and English."""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "doc_title": ("Báo cáo kiểm tra hạ tầng mạng trường học", "School network infrastructure audit report"),
    "doc_subtitle": ("theo tiêu chí chuyển đổi số (CĐS)", "against the digital-transformation (DX) criteria"),
    "school": ("Trường", "School"),
    "school_id": ("Mã trường", "School code"),
    "district": ("Quận/huyện", "District"),
    "ward": ("Phường/xã", "Ward"),
    "students": ("Số học sinh", "Students"),
    "date": ("Thời điểm kiểm tra", "Audited at"),
    "profile": ("Bộ tiêu chí", "Criteria profile"),
    "agent": ("Phần mềm", "Agent"),
    "bundle_id": ("Mã hồ sơ", "Bundle id"),
    "sha256": ("SHA-256 hồ sơ", "Bundle SHA-256"),
    "signature": ("Chữ ký số", "Signature"),
    "signed_by": ("Ed25519, khoá", "Ed25519, key"),
    "unsigned": ("chưa ký", "not signed"),
    "page": ("Trang", "Page"),
    "overall": ("Kết luận", "Overall"),
    "overall_pass": ("Đạt tất cả tiêu chí đã kiểm tra", "All assessed criteria pass"),
    "overall_fail": ("Có tiêu chí không đạt", "Some criteria fail"),
    "overall_unknown": ("Chưa đủ dữ liệu để kết luận mọi tiêu chí", "Not enough data to conclude on every criterion"),
    "summary": ("1. Kết quả theo tiêu chí", "1. Results by criterion"),
    "passes_by_provenance": ("Tiêu chí đạt theo loại căn cứ", "Passes by kind of evidence"),
    "provenance": ("Căn cứ", "Known by"),
    "criterion": ("Tiêu chí", "Criterion"),
    "result": ("Kết quả", "Result"),
    "measured": ("Giá trị ghi nhận", "Found"),
    "required": ("Yêu cầu", "Required"),
    "explanation": ("Giải thích", "Explanation"),
    "actions": ("2. Việc cần làm", "2. What to do"),
    "no_actions": ("Không có việc cần làm.", "Nothing to do."),
    "to_fix": ("Cần khắc phục", "To fix"),
    "to_check": ("Cần bổ sung dữ liệu", "Data needed"),
    "devices": ("3. Thiết bị mạng", "3. Network devices"),
    "no_devices": ("Không tìm thấy thiết bị nào (dò mạng không chạy hoặc không có kết quả).",
                   "No devices found (discovery did not run or found nothing)."),
    "ip": ("Địa chỉ IP", "IP address"),
    "device": ("Thiết bị", "Device"),
    "role": ("Vai trò", "Role"),
    "ports": ("Cổng tối đa", "Fastest port"),
    "wifi": ("Wi-Fi", "Wi-Fi"),
    "snmp": ("SNMP", "SNMP"),
    "location": ("Vị trí", "Location"),
    "air": ("Điểm truy cập nghe thấy qua sóng", "Access points heard over the air"),
    "bands": ("Băng tần", "Bands"),
    "standard": ("Chuẩn", "Standard"),
    "max_rate": ("Tốc độ tối đa", "Maximum rate"),
    "topology": ("4. Sơ đồ kết nối (LLDP/CDP)", "4. Connections (LLDP/CDP)"),
    "no_topology": ("Không có dữ liệu LLDP/CDP để vẽ sơ đồ.", "No LLDP/CDP data to draw the map."),
    "unlinked": ("thiết bị không có liên kết LLDP", "device(s) without LLDP links"),
    "bandwidth": ("5. Băng thông Internet", "5. Internet bandwidth"),
    "no_bandwidth": ("Chưa đo băng thông.", "Bandwidth was not measured."),
    "engine": ("Công cụ", "Engine"),
    "direction": ("Chiều", "Direction"),
    "download": ("tải xuống", "download"),
    "upload": ("tải lên", "upload"),
    "goodput": ("Goodput trung vị", "Median goodput"),
    "range": ("Khoảng p10–p90", "p10–p90 range"),
    "latency": ("Độ trễ", "Latency"),
    "limits": ("Giới hạn / lỗi", "Limits / errors"),
    "role_internet": ("Đo Internet (máy chủ đo công cộng)", "Internet measurement (public speed-test server)"),
    "role_district": ("Ý kiến thứ hai: máy chủ của phòng/sở GD (đường tới phòng/sở, không phải Internet)",
                      "Second opinion: the district's server (the path to the district, not the Internet)"),
    "pass_line": ("ngưỡng đạt", "pass line"),
    "declarations": ("6. Nội dung nhà trường khai báo", "6. Declared by the school"),
    "declared_note": ("Các nội dung dưới đây do nhà trường khai báo, không phải kết quả đo.",
                      "The items below are declared by the school, not measured."),
    "no_declarations": ("Không có nội dung khai báo.", "Nothing declared."),
    "key": ("Mục", "Item"),
    "value": ("Giá trị", "Value"),
    "note": ("Ghi chú", "Note"),
    "attachments": ("Tệp minh chứng", "Attachments"),
    "host": ("7. Máy thực hiện kiểm tra", "7. The machine that ran the audit"),
    "hostname": ("Tên máy", "Hostname"),
    "nics": ("Card mạng", "Network cards"),
    "bottlenecks": ("Hạn chế của phép đo", "Measurement limits"),
    "warnings": ("Cảnh báo trong quá trình kiểm tra", "Warnings during the audit"),
    "appendix": ("Phụ lục: căn cứ của từng kết luận", "Appendix: the basis of every verdict"),
    "subject": ("Đối tượng", "Subject"),
    "source": ("Nguồn", "Source"),
    "basis": ("Căn cứ", "Basis"),
    "remedy": ("Cách khắc phục", "Remedy"),
    "unverified": ("ngưỡng chưa đối chiếu văn bản gốc", "threshold not checked against the official text"),
    "unverified_note": ("Ngưỡng lấy theo kế hoạch của trường, chưa đối chiếu với văn bản gốc của quyết định; hồ sơ "
                        "tiêu chí ghi rõ nguồn (xem phụ lục).",
                        "Threshold as quoted in the school plan, not yet checked against the official decision text; "
                        "the criteria profile names its source (see the appendix)."),
    "informational": ("tham khảo", "informational"),
    "declared": ("khai báo", "declared"),
    "whole_school": ("Toàn trường", "Whole school"),
    "sign_block_preparer": ("Người lập báo cáo", "Prepared by"),
    "sign_block_head": ("Hiệu trưởng", "Principal"),
    "sign_hint": ("(ký, ghi rõ họ tên)", "(signature and full name)"),
    "sign_hint_head": ("(ký tên, đóng dấu)", "(signature and seal)"),
    "verify_hint": ("Kiểm tra tính toàn vẹn: schoolnet verify evidence.json", "Check integrity: schoolnet verify "
                    "evidence.json"),
}

STATUS: dict[str, tuple[str, str]] = {
    "pass": ("Đạt", "Pass"),
    "fail": ("Không đạt", "Fail"),
    "unknown": ("Chưa xác định", "Unknown"),
    "not_applicable": ("Không áp dụng", "Not applicable"),
}
SYMBOL = {"pass": "✔", "fail": "✘", "unknown": "?", "not_applicable": "–"}

ROLE: dict[str, tuple[str, str]] = {
    "router": ("Router", "Router"),
    "firewall": ("Tường lửa", "Firewall"),
    "switch": ("Switch", "Switch"),
    "access_point": ("Điểm truy cập Wi-Fi", "Wi-Fi access point"),
    "wireless_controller": ("Bộ điều khiển Wi-Fi", "Wi-Fi controller"),
    "printer": ("Máy in", "Printer"),
    "other": ("Khác", "Other"),
    "unknown": ("Chưa rõ", "Unknown"),
}

DECLARATION_KEYS: dict[str, tuple[str, str]] = {
    "isp_contract_mbps": ("Tốc độ theo hợp đồng ISP (Mbit/s)", "ISP contract speed (Mbit/s)"),
    "isp_name": ("Nhà cung cấp Internet", "Internet provider"),
    "security_solution": ("Giải pháp an toàn thông tin mạng", "Network-security solution"),
    "informatics_lab": ("Phòng máy dạy Tin học", "Informatics computer lab"),
    "notes": ("Ghi chú", "Notes"),
}


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def label(key: str, lang: str) -> str:
    return pick(LABELS[key], lang)
