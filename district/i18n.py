"""Dashboard wording, Vietnamese first (English via ?lang=en or the toggle)."""

from __future__ import annotations

from collections.abc import Callable

LANGS = ("vi", "en")

STRINGS: dict[str, tuple[str, str]] = {
    "app_title": ("Hạ tầng mạng trường học", "School network infrastructure"),
    "login": ("Đăng nhập", "Log in"),
    "logout": ("Đăng xuất", "Log out"),
    "username": ("Tên đăng nhập", "Username"),
    "password": ("Mật khẩu", "Password"),
    "login_failed": ("Sai tên đăng nhập hoặc mật khẩu.", "Wrong username or password."),
    "schools": ("Trường học", "Schools"),
    "school": ("Trường", "School"),
    "school_id": ("Mã trường", "School code"),
    "ward": ("Phường/xã", "Ward"),
    "all_wards": ("Tất cả phường/xã", "All wards"),
    "status": ("Kết quả", "Result"),
    "all_statuses": ("Mọi kết quả", "All results"),
    "stale_only": ("Chỉ trường lâu chưa gửi", "Only stale uploads"),
    "filter": ("Lọc", "Filter"),
    "last_upload": ("Lần gửi gần nhất", "Last upload"),
    "overall": ("Kết quả chung", "Overall"),
    "export_csv": ("Xuất CSV", "Export CSV"),
    "export_xlsx": ("Xuất Excel", "Export XLSX"),
    "shown": ("trường được hiển thị", "schools shown"),
    "pass": ("Đạt", "Pass"),
    "fail": ("Không đạt", "Fail"),
    "unknown": ("Chưa xác định", "Unknown"),
    "not_applicable": ("Không áp dụng", "Not applicable"),
    "none": ("Chưa có dữ liệu", "No data"),
    "never": ("chưa gửi", "never"),
    "today": ("hôm nay", "today"),
    "hours_ago": ("{n} giờ trước", "{n} h ago"),
    "days_ago": ("{n} ngày trước", "{n} days ago"),
    "stale": ("quá hạn", "stale"),
    "history": ("Lịch sử đánh giá", "Audit history"),
    "finished_at": ("Thời điểm đánh giá", "Audited at"),
    "received_at": ("Nhận lúc", "Received at"),
    "download": ("Tải xuống", "Download"),
    "upload": ("Tải lên", "Upload"),
    "bandwidth_trend": ("Băng thông Internet theo thời gian (Mbit/s)", "Internet bandwidth over time (Mbit/s)"),
    "no_measurements": ("Chưa có số đo băng thông.", "No bandwidth measurements yet."),
    "devices": ("Thiết bị", "Devices"),
    "device_count": ("Số thiết bị", "Device count"),
    "ip": ("Địa chỉ IP", "IP address"),
    "role": ("Vai trò", "Role"),
    "vendor": ("Hãng", "Vendor"),
    "model": ("Model", "Model"),
    "port_speed": ("Tốc độ cổng tối đa (Mbit/s)", "Fastest port (Mbit/s)"),
    "snmp": ("SNMP", "SNMP"),
    "report": ("Báo cáo", "Report"),
    "evidence": ("Chứng cứ (JSON)", "Evidence (JSON)"),
    "criteria": ("Tiêu chí", "Criteria"),
    "no_bundles": ("Trường chưa gửi kết quả đánh giá nào.", "The school has not uploaded any audit yet."),
    "back": ("← Danh sách trường", "← All schools"),
    "enrolled": ("Đã đăng ký agent", "Agent enrolled"),
    "not_enrolled": ("Chưa đăng ký agent", "Agent not enrolled"),
    "no": ("STT", "No."),
    "name": ("Tên trường", "School name"),
    "download_mbps": ("Internet tải xuống (Mbit/s)", "Internet download (Mbit/s)"),
    "upload_mbps": ("Internet tải lên (Mbit/s)", "Internet upload (Mbit/s)"),
    "measured": ("Đo được", "Measured"),
    "threshold": ("Ngưỡng", "Threshold"),
    "subject": ("Đối tượng", "Subject"),
    "reason": ("Lý do", "Reason"),
    "findings": ("Kết luận", "Findings"),
    "signed_by": ("Ký bởi khoá", "Signed by key"),
}

SYMBOLS = {"pass": "✓", "fail": "✗", "unknown": "?", "not_applicable": "–", "none": "·"}


def pick(lang: str | None) -> str:
    return lang if lang in LANGS else "vi"


def translator(lang: str) -> Callable[..., str]:
    index = 1 if lang == "en" else 0

    def t(key: str, **values: object) -> str:
        pair = STRINGS.get(key)
        text = pair[index] if pair else key
        return text.format(**values) if values else text

    return t
