<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>ClassStatusBox</name>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_sections.py" line="48" />
        <source>Reason (required)</source>
        <extracomment>A risk flag as a red badge.</extracomment>
        <translation>调整原因(必填)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_sections.py" line="49" />
        <source>Set class by hand</source>
        <translation>人工调整分级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_sections.py" line="50" />
        <source>Use the computed class</source>
        <translation>恢复计算分级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_sections.py" line="60" />
        <source>Class changes</source>
        <translation>分级变更记录</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_sections.py" line="79" />
        <source>A new customer is classified on the next recompute.</source>
        <translation>新客户将在下次重新分级时确定分级。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_sections.py" line="82" />
        <source>Class in force: %1</source>
        <translation>当前分级:%1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_sections.py" line="84" />
        <source>(set by hand: %1)</source>
        <translation>(人工调整:%1)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_sections.py" line="86" />
        <source>In the pool since %1</source>
        <translation>入池日期:%1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_sections.py" line="96" />
        <source>No arrears or credit risk</source>
        <translation>无欠费或信用风险</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_sections.py" line="101" />
        <source>by consumption</source>
        <translation>按电量</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_sections.py" line="102" />
        <source>by profit contribution</source>
        <translation>按利润贡献</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_sections.py" line="103" />
        <source>set by hand</source>
        <translation>人工调整</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_sections.py" line="110" />
        <source>No class changes yet.</source>
        <translation>暂无分级变更。</translation>
    </message>
</context>
<context>
    <name>ColumnChooser</name>
    <message>
        <location filename="../../keyacct_desktop/gui/widgets/columns.py" line="58" />
        <source>Right-click to show or hide columns</source>
        <translation>右键单击表头可显示或隐藏列</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <location filename="../../keyacct_desktop/gui/crash.py" line="56" />
        <source>KeyAcct: unexpected error</source>
        <translation>KeyAcct 出错了</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/crash.py" line="59" />
        <source>An unexpected error happened. Your saved data is not affected; the action that failed may not have finished. Please copy the details and send them to your administrator.</source>
        <translation>程序发生了意外错误。已保存的数据不受影响,但刚才的操作可能没有完成。请复制详细信息并发给管理员。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/crash.py" line="67" />
        <source>Log file: %1</source>
        <translation>日志文件:%1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/crash.py" line="69" />
        <source>No log file is being written.</source>
        <translation>当前没有写入日志文件。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/crash.py" line="80" />
        <source>Copy details</source>
        <translation>复制详细信息</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/crash.py" line="83" />
        <source>Open log folder</source>
        <translation>打开日志文件夹</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/crash.py" line="93" />
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
</context>
<context>
    <name>CustomerEditor</name>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="104" />
        <source>Customer profile</source>
        <translation>客户档案</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="110" />
        <source>18 characters, e.g. 91350100M000100Y43</source>
        <translation>18 位,例如 91350100M000100Y43</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="115" />
        <source>Required to enter the pool</source>
        <translation>入池时必填</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="117" />
        <source>e.g. park project filing</source>
        <translation>例如:园区项目备案</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="130" />
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="158" />
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="620" />
        <source>(not set)</source>
        <translation>(未填)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="138" />
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="609" />
        <source>(choose)</source>
        <translation>(请选择)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="152" />
        <source> yuan</source>
        <translation> 元</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="167" />
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="392" />
        <source>(none)</source>
        <translation>(无)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="169" />
        <source>Profile</source>
        <translation>基本档案</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="171" />
        <source>Account no.</source>
        <translation>户号</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="172" />
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="199" />
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="173" />
        <source>USCC</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="174" />
        <source>Address</source>
        <translation>用电地址</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="175" />
        <source>Industry</source>
        <translation>行业门类</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="176" />
        <source>Products</source>
        <translation>主要产品</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="177" />
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="222" />
        <source>Voltage</source>
        <translation>供电电压</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="178" />
        <source>Contracted capacity</source>
        <translation>合同容量</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="179" />
        <source>Annual consumption</source>
        <translation>年用电量</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="180" />
        <source>Profit contribution</source>
        <translation>利润贡献</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="181" />
        <source>Tariff</source>
        <translation>电价类别</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="182" />
        <source>Metering</source>
        <translation>计量方式</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="183" />
        <source>Service</source>
        <translation>服务信息</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="185" />
        <source>Park</source>
        <translation>园区</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="186" />
        <source>Pool status</source>
        <translation>入池状态</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="187" />
        <source>Evaluation notes</source>
        <translation>入池评估意见</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="188" />
        <source>Lead source</source>
        <translation>客户来源</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="189" />
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="190" />
        <source>Manager</source>
        <translation>客户经理</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="191" />
        <source>Important-customer grade</source>
        <translation>重要客户等级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="192" />
        <source>Load grade</source>
        <translation>负荷等级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="193" />
        <source>Credit rating</source>
        <translation>信用等级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="194" />
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="200" />
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="201" />
        <source>Title</source>
        <translation>职务</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="202" />
        <source>Mobile</source>
        <translation>手机</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="203" />
        <source>Landline</source>
        <translation>固定电话</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="204" />
        <source>Last verified</source>
        <translation>最近核实日期</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="205" />
        <source>Email</source>
        <translation>电子邮箱</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="206" />
        <source>Primary</source>
        <translation>主要联系人</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="211" />
        <source>Add contact</source>
        <translation>添加联系人</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="213" />
        <source>Remove contact</source>
        <translation>删除联系人</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="220" />
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="221" />
        <source>Main/backup</source>
        <translation>主供/备供</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="223" />
        <source>Capacity (kVA)</source>
        <translation>容量(kVA)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="224" />
        <source>Substation</source>
        <translation>变电站</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="225" />
        <source>Line</source>
        <translation>线路</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="226" />
        <source>Bay</source>
        <translation>间隔</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="227" />
        <source>Line type</source>
        <translation>线路类型</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="235" />
        <source>Add power source</source>
        <translation>添加电源</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="237" />
        <source>Remove power source</source>
        <translation>删除电源</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="266" />
        <source>Contacts</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="267" />
        <source>Power sources</source>
        <translation>供电电源</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="268" />
        <source>Class and risk</source>
        <translation>分级与风险</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="269" />
        <source>Emergency power and credit</source>
        <translation>应急电源与信用</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="292" />
        <source>Load the changed profile (drop my edits)</source>
        <translation>载入更新后的资料(放弃我的修改)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="309" />
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="358" />
        <source>Reading the customer profile…</source>
        <translation>正在读取客户档案…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="384" />
        <source>The customer profile could not be read.</source>
        <translation>无法读取客户档案。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="438" />
        <source>This customer was removed from this computer by a sync.</source>
        <translation>同步后,此客户已不在本机。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="464" />
        <source>This customer's profile was changed elsewhere (by a sync) while you were editing. Your edits are kept and not saved yet: Save puts them over the changed profile, or load the changed profile instead.</source>
        <translation>您编辑期间,此客户资料已在别处更改(同步带来)。您的修改仍保留、尚未保存:点“保存”会以您的修改覆盖更新后的资料,也可以改为载入更新后的资料。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="508" />
        <source>The customer profile</source>
        <translation>客户档案</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_editor.py" line="655" />
        <source>The contact printed on documents</source>
        <translation>打印在文书上的联系人</translation>
    </message>
</context>
<context>
    <name>CustomerPicker</name>
    <message>
        <location filename="../../keyacct_desktop/gui/widgets/customer_picker.py" line="46" />
        <source>Type a customer name, account no. or USCC</source>
        <translation>输入客户名称、户号或统一社会信用代码</translation>
    </message>
</context>
<context>
    <name>CustomerTableModel</name>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="70" />
        <source>Account no.</source>
        <extracomment>Rows read from the store at once when the view shows them (and ids, at least). A re-sort reads ids this far to find where the selected customers went (~0.15 s on the worker for 20,000 on a laptop); a selection further down is dropped. What a row whose data is being read shows (in the name column). An id not read (the store changed: fewer customers match than counted). (header source text, sort key or None)</extracomment>
        <translation>户号</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="71" />
        <source>Customer name</source>
        <translation>客户名称</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="72" />
        <source>Class</source>
        <translation>分级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="73" />
        <source>Park</source>
        <translation>园区</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="74" />
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="75" />
        <source>Industry</source>
        <translation>行业</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="76" />
        <source>Voltage (kV)</source>
        <translation>电压(kV)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="77" />
        <source>Capacity (kVA)</source>
        <translation>容量(kVA)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="78" />
        <source>Annual consumption (%1)</source>
        <translation>年用电量(%1)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="79" />
        <source>Important grade</source>
        <translation>重要客户等级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="80" />
        <source>Credit</source>
        <translation>信用</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="81" />
        <source>Risk flags</source>
        <translation>风险提示</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="443" />
        <source>Arrears or credit risk:</source>
        <extracomment>The column naming each arrears/credit risk flag (badges), and the columns tinted red. Reading the list failed (the error); the rows shown stay.</extracomment>
        <translation>欠费或信用风险：</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="445" />
        <source>Worth watching:</source>
        <translation>需关注：</translation>
    </message>
</context>
<context>
    <name>GridBalanceDialog</name>
    <message>
        <location filename="../../keyacct_desktop/gui/grid_balance_dialog.py" line="48" />
        <location filename="../../keyacct_desktop/gui/grid_balance_dialog.py" line="187" />
        <location filename="../../keyacct_desktop/gui/grid_balance_dialog.py" line="193" />
        <location filename="../../keyacct_desktop/gui/grid_balance_dialog.py" line="215" />
        <source>Balance grids</source>
        <translation>网格均衡</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/grid_balance_dialog.py" line="54" />
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/grid_balance_dialog.py" line="55" />
        <source>Customers now</source>
        <translation>现有户数</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/grid_balance_dialog.py" line="57" />
        <source>Customers proposed</source>
        <translation>建议户数</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/grid_balance_dialog.py" line="56" />
        <source>Consumption now (%1)</source>
        <translation>现有用电量(%1)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/grid_balance_dialog.py" line="58" />
        <source>Consumption proposed (%1)</source>
        <translation>建议后用电量(%1)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/grid_balance_dialog.py" line="68" />
        <source>Apply proposal</source>
        <translation>采用建议方案</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/grid_balance_dialog.py" line="71" />
        <source>Propose again</source>
        <translation>重新计算</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/grid_balance_dialog.py" line="91" />
        <source>Computing a proposal…</source>
        <translation>正在计算均衡方案…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/grid_balance_dialog.py" line="99" />
        <source>Balancing grids…</source>
        <translation>正在均衡网格…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/grid_balance_dialog.py" line="115" />
        <source>Cancelled: no proposal was computed.</source>
        <translation>已取消,未生成均衡方案。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/grid_balance_dialog.py" line="153" />
        <source>(no grid)</source>
        <translation>(未划网格)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/grid_balance_dialog.py" line="163" />
        <source>%1 of %2 pooled customers would move to another grid.</source>
        <translation>%2 个入池客户中有 %1 个将移到其他网格。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/grid_balance_dialog.py" line="170" />
        <source>Largest deviation from the mean — consumption: %1% now, %2% proposed; customer count: %3% now, %4% proposed. Parks split over grids: %5.</source>
        <translation>与平均值的最大偏差——电量:现为 %1%,建议 %2%;户数:现为 %3%,建议 %4%。跨网格的园区数:%5。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/grid_balance_dialog.py" line="188" />
        <source>The grids are balanced already: no customer would move.</source>
        <translation>各网格已经均衡,没有客户需要调整。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/grid_balance_dialog.py" line="195" />
        <source>Move %1 of %2 pooled customers to the proposed grids now? The customer list can undo this in one step.</source>
        <translation>现在把 %2 个入池客户中的 %1 个移到建议的网格吗?之后可在客户列表中一步撤销。</translation>
    </message>
</context>
<context>
    <name>ImportPreviewDialog</name>
    <message>
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="106" />
        <source>Import preview: %1</source>
        <translation>导入预览:%1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="113" />
        <source>%1 data row(s) from header row %2: %3 valid, %4 with problems. New customers: %5, updated: %6, unchanged: %7.</source>
        <translation>表头在第 %2 行,共 %1 行数据:%3 行有效,%4 行有误。新建客户 %5 户,更新 %6 户,无变化 %7 户。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="134" />
        <source>Parks</source>
        <translation>园区</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="135" />
        <source>Grids</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="136" />
        <source>Managers</source>
        <translation>客户经理</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="138" />
        <source>Create them with the import</source>
        <translation>导入时创建以上园区、网格和客户经理</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="148" />
        <source>Not in the store yet</source>
        <translation>尚不存在</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="155" />
        <source>Evaluation note recorded: %1</source>
        <translation>评估意见记为:%1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="158" />
        <source>Pool status of the imported rows</source>
        <translation>导入客户的入池状态</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="168" />
        <source>(ignored: %1)</source>
        <translation>(忽略:%1)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="178" />
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="183" />
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="205" />
        <source>Sheet</source>
        <translation>工作表</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="178" />
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="183" />
        <source>Column</source>
        <translation>表头</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="178" />
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="193" />
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="178" />
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="183" />
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="191" />
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="205" />
        <source>Row</source>
        <translation>行号</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="183" />
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="192" />
        <source>Account no.</source>
        <translation>户号</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="194" />
        <source>Now</source>
        <translation>现值</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="195" />
        <source>After import</source>
        <translation>导入后</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="205" />
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="210" />
        <source>Columns (%1)</source>
        <translation>列对应(%1)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="213" />
        <source>Problems (%1)</source>
        <translation>问题(%1)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="216" />
        <source>Changes (%1)</source>
        <translation>将更新的字段(%1)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="219" />
        <source>Notes (%1)</source>
        <translation>说明(%1)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="226" />
        <source>Import %1 valid row(s)</source>
        <translation>导入 %1 行有效数据</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="252" />
        <source>Tick the box to create the parks, grids and managers listed above.</source>
        <translation>请勾选“导入时创建”,确认创建上面列出的园区、网格和客户经理。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/import_preview.py" line="274" />
        <source>Importing %1…</source>
        <translation>正在导入 %1…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../keyacct_desktop/gui/main_window.py" line="101" />
        <source>KeyAcct — Key Account Manager's Workbench</source>
        <translation>KeyAcct 大客户经理工作台</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/main_window.py" line="136" />
        <location filename="../../keyacct_desktop/gui/main_window.py" line="150" />
        <source>Opening the local data…</source>
        <translation>正在打开本机数据…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/main_window.py" line="145" />
        <source>Upgrading the local data to this version (once; may take a minute)…</source>
        <translation>正在将本机数据升级到此版本（仅此一次，可能需要一分钟）…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/main_window.py" line="147" />
        <source>Checking the local data (the last session did not end cleanly)…</source>
        <translation>正在检查本机数据（上次未正常退出）…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/main_window.py" line="148" />
        <source>Creating the demo data…</source>
        <translation>正在生成演示数据…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/__init__.py" line="17" />
        <source>Home</source>
        <translation>首页</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/__init__.py" line="20" />
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/__init__.py" line="25" />
        <source>Visits</source>
        <translation>走访</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/__init__.py" line="30" />
        <source>Referrals</source>
        <translation>转办</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/__init__.py" line="35" />
        <source>Checklists</source>
        <translation>告知单</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/__init__.py" line="40" />
        <source>Supply plans</source>
        <translation>供电方案</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/__init__.py" line="45" />
        <source>Outage notices</source>
        <translation>停电通知</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/__init__.py" line="48" />
        <source>Sync</source>
        <translation>同步</translation>
    </message>
</context>
<context>
    <name>PrintPreviewDialog</name>
    <message>
        <location filename="../../keyacct_desktop/gui/print_preview.py" line="125" />
        <source>Preparing %1…</source>
        <extracomment>Pages are rasterised at most at this resolution: sharp on paper, while a 1200 dpi printer would otherwise get a 500 MB image per A4 page (a 250-notice batch took minutes and GBs).</extracomment>
        <translation>正在生成%1…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../keyacct_desktop/gui/print_preview.py" line="187" />
        <source>%n page(s)</source>
        <translation>
            <numerusform>共 %n 页</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/print_preview.py" line="189" />
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/print_preview.py" line="190" />
        <source>Save as PDF…</source>
        <translation>另存为 PDF…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/print_preview.py" line="203" />
        <source>The font has no %1: printed as %2, write them in by hand.</source>
        <extracomment>Characters the font has no glyph for (rare 生僻字): printed as a box, said here.</extracomment>
        <translation>字库中没有“%1”:打印件上印为“%2”,请在纸面上手写补正。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/print_preview.py" line="223" />
        <source>Page %1/%2</source>
        <translation>第 %1/%2 页</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/print_preview.py" line="234" />
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/print_preview.py" line="272" />
        <source>Save as PDF</source>
        <translation>另存为 PDF</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/print_preview.py" line="272" />
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
</context>
<context>
    <name>QualityDialog</name>
    <message>
        <location filename="../../keyacct_desktop/gui/quality_dialog.py" line="28" />
        <source>Data quality</source>
        <translation>资料质量</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/quality_dialog.py" line="33" />
        <source> points</source>
        <translation> 分</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/quality_dialog.py" line="36" />
        <source>All problems</source>
        <translation>全部问题</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/quality_dialog.py" line="43" />
        <source>Account no.</source>
        <translation>户号</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/quality_dialog.py" line="43" />
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/quality_dialog.py" line="43" />
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/quality_dialog.py" line="43" />
        <source>What to fix</source>
        <translation>需完善的内容</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/quality_dialog.py" line="51" />
        <source>Score below</source>
        <translation>得分低于</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/quality_dialog.py" line="72" />
        <source>%1 customer(s)</source>
        <translation>共 %1 户</translation>
    </message>
</context>
<context>
    <name>SupplyAndCreditForm</name>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_sections.py" line="123" />
        <source>e.g. diesel generator</source>
        <translation>如 柴油发电机</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_sections.py" line="135" />
        <source>(not set)</source>
        <translation>(未填)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_sections.py" line="148" />
        <source>year-month-day, e.g. 2026-03-01</source>
        <translation>年-月-日,如 2026-03-01</translation>
    </message>
</context>
<context>
    <name>Task</name>
    <message>
        <location filename="../../keyacct_desktop/gui/tasks.py" line="135" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>Units</name>
    <message>
        <location filename="../../keyacct_desktop/gui/units.py" line="28" />
        <source>10,000 kWh</source>
        <extracomment>unit -&gt; kWh per displayed unit</extracomment>
        <translation>万千瓦时</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/units.py" line="29" />
        <source>kWh</source>
        <translation>千瓦时</translation>
    </message>
</context>
<context>
    <name>UnsavedChanges</name>
    <message>
        <location filename="../../keyacct_desktop/gui/widgets/unsaved.py" line="27" />
        <source>Unsaved changes</source>
        <translation>未保存的修改</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/widgets/unsaved.py" line="29" />
        <source>%1 has changes that are not saved.</source>
        <translation>%1有尚未保存的修改。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/widgets/unsaved.py" line="34" />
        <source>Save them, keep them as a draft to finish later, or discard them?</source>
        <translation>保存、保留为草稿稍后再写,还是放弃这些修改?</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/widgets/unsaved.py" line="38" />
        <source>Save them or discard them?</source>
        <translation>保存还是放弃这些修改?</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/widgets/unsaved.py" line="42" />
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/widgets/unsaved.py" line="49" />
        <source>Keep as draft</source>
        <translation>保留为草稿</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/widgets/unsaved.py" line="57" />
        <source>Discard changes</source>
        <translation>放弃修改</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/widgets/unsaved.py" line="62" />
        <source>Go on editing</source>
        <translation>继续编辑</translation>
    </message>
</context>
</TS>